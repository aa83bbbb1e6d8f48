/**
 * Admins (平台管理员, the credit centre): the statistics with the report's own charts (SVG rendered
 * by the API), each with its data table, the query cross-tabulations and the annual report; the
 * objection queue with remit and decision; the national export (runs, "run now", overdue and held
 * records); the working-day calendar; the units register. One component per tab: admin-stats.tsx,
 * admin-exports.tsx, admin-calendar.tsx, admin-units.tsx.
 */
import type { Session } from './api.ts';
import { JointListsView, JointStatsView } from './joint-view.tsx';
import { AdminApplications } from './matters-view.tsx';
import { ObjectionList } from './objections.tsx';
import { Tabs } from './ui.tsx';
import { ListReviewPanel } from './unit-lists.tsx';
import { CalendarBanner, CalendarEditor } from './admin-calendar.tsx';
import { Exports } from './admin-exports.tsx';
import { Statistics } from './admin-stats.tsx';
import { Units } from './admin-units.tsx';

export function AdminView({ session }: { session: Session }) {
  return (
    <>
      <CalendarBanner session={session} />
      <Tabs
        label="平台管理功能"
        tabs={[
          { id: 'stats', label: '运行统计', render: () => <Statistics session={session} /> },
          { id: 'objections', label: '异议处理', render: () => <ObjectionList session={session} title="异议处理队列" /> },
          { id: 'exports', label: '国家平台推送', render: () => <Exports session={session} /> },
          { id: 'calendar', label: '工作日历', render: () => <CalendarEditor session={session} /> },
          { id: 'units', label: '单位库', render: () => <Units session={session} /> },
          { id: 'applications', label: '应用清单', render: () => <AdminApplications session={session} /> },
          { id: 'list-review', label: '清单审核', render: () => <ListReviewPanel session={session} /> },
          {
            id: 'joint',
            label: '联合奖惩',
            render: () => (
              <>
                <JointStatsView session={session} />
                <JointListsView />
              </>
            ),
          },
        ]}
      />
    </>
  );
}
