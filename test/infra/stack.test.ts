/**
 * The CDK assertion suites over the synthesised app, in one file so that one process synthesises
 * it (both stages in every environment, test/infra/synth.ts) once: each suite on its own paid for
 * the same synthesis — every function bundled — in its own worker. Each *.suite.ts registers its
 * describe blocks and hooks when imported here.
 */
import './cdk-nag.suite.ts';
import './credit-platform-stack.suite.ts';
import './console-site.suite.ts';
import './operations.suite.ts';
import './provider-isolation.suite.ts';
import './subject-rights.suite.ts';
import './anonymous-limits.suite.ts';
import './query-budget.suite.ts';
