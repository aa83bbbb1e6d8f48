/**
 * Issued-but-checksum-invalid USCCs (docs/domain.md, Identifiers). Some early codes were
 * issued by registration authorities although their check character is wrong; data carrying them
 * must not be rejected, so validateUscc accepts a code on this list with a warning instead.
 * Add a code only with a public source showing it was really issued.
 */
export const ISSUED_INVALID_USCC: ReadonlySet<string> = new Set([
  // A Xiamen company (expected check 'R'); https://blog.csdn.net/ellasun_web/article/details/130267762
  '91350211M0000XUF46',
  // Hard-coded as an exception (expected check '9') in the public validator
  // 02020/vite learn/utils/validateSocialCreditCode.js
  '91350203M0001QAY9B',
]);
