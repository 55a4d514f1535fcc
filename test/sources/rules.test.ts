import { backoffMs, parseProposals, proposedTimes } from '../../src/domain/source';
import { checkLiteralHost, isPublicAddress } from '../../src/outbound/address-guard';
import { proposeArea } from '../../src/sources/propose-area';

describe('which addresses a feed may point at', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.9',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    'fe80::1',
    'fc00::5',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    '224.0.0.1',
  ])('refuses %s', (address) => expect(isPublicAddress(address)).toBe(false));
  it.each(['8.8.8.8', '203.113.131.1', '2001:4860:4860::8888'])('allows %s', (address) =>
    expect(isPublicAddress(address)).toBe(true),
  );
  it('checks hosts written as addresses, IPv6 in brackets too', () => {
    expect(() => checkLiteralHost('[::1]', false)).toThrow(/mạng nội bộ/);
    expect(() => checkLiteralHost('10.0.0.1', false)).toThrow(/mạng nội bộ/);
    expect(() => checkLiteralHost('10.0.0.1', true)).not.toThrow();
    expect(() => checkLiteralHost('cong.example.vn', false)).not.toThrow();
  });
});

describe('proposals a source makes', () => {
  it('reads "kênh [+Nd] HH:MM" and names the option when it cannot', () => {
    expect(parseProposals('radio +1d 07:00, zalo 18:00', '--de-xuat')).toEqual([
      { channelId: 'radio', dayOffset: 1, time: '07:00' },
      { channelId: 'zalo', dayOffset: 0, time: '18:00' },
    ]);
    expect(() => parseProposals('radio 25:00', '--de-xuat')).toThrow(/^--de-xuat: "radio 25:00" không hợp lệ/);
    expect(() => parseProposals('radio sáng mai', '--de-xuat')).toThrow(/--de-xuat/);
  });

  it('puts slots in Vietnam time and never in the past', () => {
    const proposals = parseProposals('radio +1d 07:00, zalo 18:00', 'x');
    // Published 23:30 Vietnam time on 1 Nov (16:30 UTC), seen at 19:00 Vietnam time on 2 Nov.
    const times = proposedTimes(proposals, new Date('2026-11-01T16:30:00Z'), new Date('2026-11-02T12:00:00Z'));
    expect(times).toEqual([
      { channelId: 'radio', at: new Date('2026-11-03T00:00:00Z') }, // 2 Nov 07:00 had passed when seen: 3 Nov 07:00
      { channelId: 'zalo', at: new Date('2026-11-03T11:00:00Z') }, // 1 Nov and 2 Nov 18:00 had passed: 3 Nov 18:00
    ]);
  });

  it('backs off a failing source up to a day', () => {
    expect([1, 2, 3, 20].map((f) => backoffMs(30, f) / 60_000)).toEqual([30, 60, 120, 1440]);
  });
});

describe('the content area proposed for news', () => {
  it('reads the headline first, prefers an area the plan lists, and falls back to "khác"', () => {
    expect(proposeArea({ title: 'Giải quyết thủ tục hành chính qua dịch vụ công trực tuyến', summary: '' }, [])).toBe(
      'thu-tuc-hanh-chinh',
    );
    expect(
      proposeArea({ title: 'Giải quyết thủ tục hành chính qua dịch vụ công trực tuyến', summary: '' }, [
        'chinh-phu-so',
      ]),
    ).toBe('chinh-phu-so');
    expect(proposeArea({ title: 'Hội nghị tổng kết', summary: 'Biểu dương các gương điển hình' }, [])).toBe(
      'dien-hinh',
    );
    expect(proposeArea({ title: 'Thời tiết hôm nay', summary: 'Trời nắng' }, [])).toBe('khac');
  });
});
