// The station's side of the vendor library's strings and record: GBK encoding
// (Node has none), strict decoding of NUL-terminated fields, the ZFY_INFO
// layout, and messages that never carry the password.
import { describe, expect, it } from 'vitest';
import { iRetMeaning, redact } from '../../electron/core/docking/vendor/errors.js';
import { cString, encodeVendorText, readField } from '../../electron/core/docking/vendor/text.js';
import { encodeZfyInfo, parseZfyInfo, ZFY_INFO_SIZE } from '../../electron/core/docking/vendor/zfy-info.js';

const gb = (bytes: number[]) => Uint8Array.from(bytes);

describe('vendor text', () => {
  it('encodes GBK as the GB18030 decoder reads it back, for names, units and punctuation', () => {
    for (const text of ['张三', '欧阳娜娜', '北京市公安局东城分局', '（一）·“甲”', 'ABC-123 ', '€']) {
      const bytes = encodeVendorText(text, 'gb18030');
      expect(new TextDecoder('gb18030').decode(bytes)).toBe(text);
    }
    expect([...encodeVendorText('张三', 'gb18030')]).toEqual([0xd5, 0xc5, 0xc8, 0xfd]);
    expect([...encodeVendorText('张三', 'utf-8')]).toEqual([...Buffer.from('张三', 'utf8')]);
    expect(() => encodeVendorText('李😀', 'gb18030')).toThrow(/GBK/);
    expect([...cString('000000', 'gb18030')]).toEqual([0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0]);
    expect(() => cString('a\0b', 'gb18030')).toThrow(/NUL/);
  });

  it('reads a field up to its NUL, ignoring leftovers after it, and refuses what a camera would not write', () => {
    expect(readField(gb([0xd5, 0xc5, 0xc8, 0xfd, 0, 0xff, 0x01]), 'gb18030')).toEqual({ ok: true, value: '张三' });
    expect(readField(gb([0x20, 0x31, 0x32, 0x20, 0]), 'gb18030')).toEqual({ ok: true, value: '12' });
    expect(readField(gb([0, 0, 0]), 'gb18030')).toEqual({ ok: true, value: '' });
    const noNul = readField(gb([0x31, 0x32, 0x33]), 'gb18030');
    expect(noNul.ok === false && noNul.why.en).toBe('not NUL-terminated within its 3 bytes');
    const control = readField(gb([0x31, 0x07, 0x33, 0]), 'gb18030');
    expect(control.ok === false && control.why.en).toMatch(/control characters \(first bytes: 310733\)/);
    const invalid = readField(gb([0xff, 0x31, 0]), 'gb18030');
    expect(invalid.ok === false && invalid.why.en).toBe('not valid GBK/GB18030 text');
    const badUtf8 = readField(gb([0xd5, 0xc5, 0]), 'utf-8');
    expect(badUtf8.ok === false && badUtf8.why.en).toBe('not valid UTF-8 text');
  });

  it('lays ZFY_INFO out packed, 94 bytes, and reads back what it writes', () => {
    expect(ZFY_INFO_SIZE).toBe(94);
    const values = { serial: '1234567', badge: '012345', name: '张三', unitId: '110100000000', unitName: '北京市公安局' };
    const record = encodeZfyInfo(values, 'gb18030');
    expect(record.length).toBe(94);
    // cSerial[8] at 0, userNo[7] at 8, userName[33] at 15, unitNo[13] at 48, unitName[33] at 61.
    expect(record.subarray(0, 8).toString('latin1')).toBe('1234567\0');
    expect(record.subarray(8, 15).toString('latin1')).toBe('012345\0');
    expect([...record.subarray(15, 20)]).toEqual([0xd5, 0xc5, 0xc8, 0xfd, 0]);
    expect(record.subarray(48, 61).toString('latin1')).toBe('110100000000\0');
    expect(parseZfyInfo(record, 'gb18030')).toEqual({ ok: true, values });
    expect(parseZfyInfo(encodeZfyInfo({ ...values, unitName: null }, 'gb18030'), 'gb18030')).toEqual({ ok: true, values: { ...values, unitName: null } });
    // A full field has no room for its NUL.
    expect(() => encodeZfyInfo({ ...values, serial: '12345678' }, 'gb18030')).toThrow(/serial "12345678" is too long: 8 bytes encoded, the camera's field holds at most 7/);
    const garbage = Buffer.from(record);
    garbage.fill(0x41, 8, 15);
    const r = parseZfyInfo(garbage, 'gb18030');
    expect(r.ok === false && `${r.field.c}: ${r.why.en}`).toBe('userNo: not NUL-terminated within its 7 bytes');
  });

  it('says what an iRet means, and where the password is for a wrong one', () => {
    expect(iRetMeaning(4).en).toMatch(/wrong device password.*station's settings.*station vendor-library set/);
    expect(iRetMeaning(2).zh).toContain('CONNECT_FAILED');
    expect(iRetMeaning(99).en).toBe('error code 99 (not one the interface defines)');
    expect(iRetMeaning(null).en).toBe('the library gave no error code');
    expect(redact('pwd=Pw#7391 and Pw#7391', 'Pw#7391')).toBe('pwd=****** and ******');
  });
});
