/**
 * Credit agencies (信用服务机构, market): a subject's file under the subject's written authorisation
 * (书面授权: its reference and purpose) — public records of companies without one, a person's file
 * and AUTHORIZED_QUERY records only with one; its own query history.
 */
import { PURPOSE } from './labels.ts';
import type { Session } from './api.ts';
import { UnitQueries } from './gov-view.tsx';
import { LookupPanel } from './lookup-view.tsx';
import { Tabs } from './ui.tsx';

const PURPOSES = Object.keys(PURPOSE).filter((p) => p !== '(none)');

export function MarketView({ session }: { session: Session }) {
  return (
    <Tabs
      label="信用服务机构功能"
      tabs={[
        { id: 'lookup', label: '授权查询', render: () => <LookupPanel session={session} purposes={PURPOSES} authorization /> },
        { id: 'history', label: '查询记录', render: () => <UnitQueries session={session} /> },
      ]}
    />
  );
}
