/** Credit repair (信用修复) and revocation (撤销) of one of the provider's records. */
import { useState } from 'preact/hooks';
import { call, fullMessage, type Session } from './api.ts';
import { ErrorLine } from './ui.tsx';
/** Credit repair (信用修复, Art 38) and revocation (撤销, Art 37) of one of the provider's records. */
export function RecordRights({ session }: { session: Session }) {
  const [kind, setKind] = useState<'repair' | 'revocation'>('repair');
  const [recordId, setRecordId] = useState('');
  const [subjectType, setSubjectType] = useState<'LEGAL' | 'NATURAL'>('LEGAL');
  const [subjectId, setSubjectId] = useState('');
  const [certificateNo, setCertificateNo] = useState('');
  const [issuedOn, setIssuedOn] = useState('');
  const [reason, setReason] = useState('');
  const [decisionNo, setDecisionNo] = useState('');
  const [note, setNote] = useState('');
  const [done, setDone] = useState('');
  const [error, setError] = useState('');
  const submit = async (e: Event) => {
    e.preventDefault();
    setError('');
    setDone('');
    const subject = { type: subjectType, id: subjectId.trim() };
    try {
      if (kind === 'repair') {
        await call(session, 'POST', `/v1/records/${recordId.trim()}/repair`, { subject, certificateNo, issuedOn, ...(note.trim() ? { note } : {}) });
        setDone(`记录 ${recordId.trim()} 已信用修复，已从所有查询中移除。`);
      } else {
        await call(session, 'POST', `/v1/records/${recordId.trim()}/revocation`, { subject, reason, ...(decisionNo.trim() ? { decisionNo } : {}) });
        setDone(`记录 ${recordId.trim()} 已撤销，将在下次推送时从国家平台撤回。`);
      }
    } catch (err) {
      setError(fullMessage(err));
    }
  };
  return (
    <section aria-labelledby="rights-title">
      <h2 id="rights-title">信用修复与撤销</h2>
      <form onSubmit={submit} class="stack">
        <fieldset>
          <legend>办理事项</legend>
          <label>
            <input type="radio" name="kind" checked={kind === 'repair'} onChange={() => setKind('repair')} /> 信用修复
          </label>
          <label>
            <input type="radio" name="kind" checked={kind === 'revocation'} onChange={() => setKind('revocation')} /> 撤销记录
          </label>
        </fieldset>
        <label for="rights-record">记录编号</label>
        <input id="rights-record" required pattern="[A-Za-z0-9_\-]{22}" value={recordId} onInput={(e) => setRecordId((e.target as HTMLInputElement).value)} />
        <fieldset>
          <legend>主体类型</legend>
          <label>
            <input type="radio" name="rights-type" checked={subjectType === 'LEGAL'} onChange={() => setSubjectType('LEGAL')} /> 法人及非法人组织
          </label>
          <label>
            <input type="radio" name="rights-type" checked={subjectType === 'NATURAL'} onChange={() => setSubjectType('NATURAL')} /> 自然人
          </label>
        </fieldset>
        <label for="rights-subject">{subjectType === 'LEGAL' ? '统一社会信用代码' : '身份证号码'}</label>
        <input id="rights-subject" required autoComplete="off" value={subjectId} onInput={(e) => setSubjectId((e.target as HTMLInputElement).value)} />
        {kind === 'repair' ? (
          <>
            <label for="rights-cert">信用修复证明编号</label>
            <input id="rights-cert" required value={certificateNo} onInput={(e) => setCertificateNo((e.target as HTMLInputElement).value)} />
            <label for="rights-issued">出具日期</label>
            <input id="rights-issued" type="date" required value={issuedOn} onChange={(e) => setIssuedOn((e.target as HTMLInputElement).value)} />
            <label for="rights-note">备注（可选）</label>
            <input id="rights-note" value={note} onInput={(e) => setNote((e.target as HTMLInputElement).value)} />
          </>
        ) : (
          <>
            <label for="rights-reason">撤销理由</label>
            <textarea id="rights-reason" required rows={3} value={reason} onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)} />
            <label for="rights-decision">撤销决定文书号（可选）</label>
            <input id="rights-decision" value={decisionNo} onInput={(e) => setDecisionNo((e.target as HTMLInputElement).value)} />
          </>
        )}
        <button type="submit">{kind === 'repair' ? '提交信用修复' : '提交撤销'}</button>
      </form>
      {done && (
        <p role="status" class="ok">
          {done}
        </p>
      )}
      <ErrorLine error={error} />
    </section>
  );
}
