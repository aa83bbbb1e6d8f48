/** Who the stage's alarms notify, from the CDK context (bin/cdk.ts): validated once, at synthesis. */
import { describe, expect, it } from 'vitest';
import { parseAlarmSubscriptions, stageConfig } from '../../lib/stage.ts';

describe('parseAlarmSubscriptions', () => {
  it('reads comma-separated e-mail addresses and E.164 phone numbers, without duplicates', () => {
    expect(parseAlarmSubscriptions(' ops@example.gov.cn, oncall@example.gov.cn,ops@example.gov.cn ', '+8613800000000')).toEqual({
      emails: ['ops@example.gov.cn', 'oncall@example.gov.cn'],
      sms: ['+8613800000000'],
    });
  });

  it('subscribes nobody when the context names nobody', () => {
    expect(parseAlarmSubscriptions(undefined, '')).toEqual({ emails: [], sms: [] });
    expect(stageConfig('prod').alarmSubscriptions).toEqual({ emails: [], sms: [] });
  });

  it('refuses what SNS could not deliver to, naming the entry', () => {
    expect(() => parseAlarmSubscriptions('ops.example.gov.cn', undefined)).toThrow(/Invalid "ops.example.gov.cn" in alarmEmails: expected an e-mail address/);
    expect(() => parseAlarmSubscriptions(undefined, '13800000000')).toThrow(/Invalid "13800000000" in alarmSms: expected a phone number in E.164 form/);
    expect(() => parseAlarmSubscriptions(42, undefined)).toThrow(/Invalid alarmEmails 42: expected a comma-separated string/);
  });
});
