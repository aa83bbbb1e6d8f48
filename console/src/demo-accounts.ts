/** The local runtime's demo accounts (POST /local/token): one or two per role. Pure data: the browser test reads it too. */
import type { Session } from './session.ts';

export interface DemoAccount {
  id: string;
  label: string;
  role: Session['role'];
  unit?: string;
  /** What POST /local/token seals into the token's custom:subject_ref (the session keeps the type only). */
  subject?: { type: 'LEGAL' | 'NATURAL'; id: string };
}

export const DEMO_ACCOUNTS: DemoAccount[] = [
  { id: 'provider-amr', label: '上海市市场监督管理局（信息提供单位）', role: 'provider', unit: 'SH-AMR' },
  { id: 'provider-tax', label: '国家税务总局上海市税务局（信息提供单位）', role: 'provider', unit: 'SH-TAX' },
  { id: 'gov-epb', label: '市生态环境局 SH-EPB（政府部门）', role: 'gov', unit: 'SH-EPB' },
  { id: 'gov-drc', label: '市发展改革委 SH-DRC（政府部门）', role: 'gov', unit: 'SH-DRC' },
  { id: 'admin', label: '平台管理员', role: 'admin' },
  // the demo seed's first company (local/seed/demo-files.ts; the browser test checks it still is)
  { id: 'subject-company', label: '上海申城科技有限公司（信息主体）', role: 'subject', subject: { type: 'LEGAL', id: '91310115MAYPR99G1A' } },
  { id: 'market-agency', label: '上海诚信评估有限公司 CA-CHENGXIN（信用服务机构）', role: 'market', unit: 'CA-CHENGXIN' },
];
