/** Rejected rows are stored and served with ID numbers masked, whatever their shape. */
import { describe, expect, it } from 'vitest';
import { maskIdNumbersIn, maskRejectedRow } from '#core/redact';

const ID_COLUMNS = new Set(['personIdNo', '证件号码', 'legalRepIdNo']);

describe('maskRejectedRow', () => {
  it('masks ID-number columns whole, even a mistyped number, and ID numbers inside other cells', () => {
    const row = {
      partyName: '张三',
      personIdNo: ' 11010519491231002Y ', // bad check character: still someone's number
      证件号码: '110105491231002',
      legalRepIdNo: '',
      facts: '代理人11010519491231002X到场; 统一代码91310115MA1K3BTP2B',
      fine: 12.5,
      nested: { note: 'x 11010519491231002X' },
    };
    expect(maskRejectedRow(row, ID_COLUMNS)).toEqual({
      partyName: '张三',
      personIdNo: '110105********002Y',
      证件号码: '110105*****1002',
      legalRepIdNo: '',
      facts: '代理人110105********002X到场; 统一代码91310115MA1K3BTP2B',
      fine: 12.5,
      nested: { note: 'x 110105********002X' },
    });
  });

  it('masks a short or garbled value in an ID column entirely', () => {
    expect(maskRejectedRow({ personIdNo: '1101051949' }, ID_COLUMNS)).toEqual({ personIdNo: '**********' });
  });

  it('leaves a company code and a hash alone in free text', () => {
    const text = 'uscc 91310115MA1K3BTP2B hash a3f1' + '0'.repeat(60);
    expect(maskIdNumbersIn(text)).toBe(text);
  });
});
