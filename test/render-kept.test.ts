import { renderKept, renderView } from '../src/http/pages/render';

/**
 * A kept fragment (a calendar's grid, an approval card's previews) is rendered once for the same data and shared by
 * everyone's pages: it must be exactly what a fresh render of that data gives, and any change of the data renders anew.
 */
describe('fragments kept between pages', () => {
  const preview = (text: string) => ({
    platform: 'rss',
    label: 'Cổng thông tin',
    channelName: 'Cổng thông tin xã',
    text,
    duration: null,
    warnings: ['Tiêu đề dài hơn 100 ký tự'],
    error: null,
    audio: null,
    audioNote: null,
  });

  test('a kept fragment is the fresh render of its data, escaped like every page', () => {
    const data = { previews: [preview('Đăng ký khai sinh <b>trực tuyến</b> & nhận kết quả tại nhà')] };
    const first = renderKept('previews', data);
    expect(first).toBe(renderView('previews', data));
    expect(first).toContain('&lt;b&gt;trực tuyến&lt;/b&gt; &amp; nhận');
    expect(renderKept('previews', data)).toBe(first);
  });

  test('other data, even one character of it, is rendered anew', () => {
    const before = renderKept('previews', { previews: [preview('Lịch tiếp công dân tháng 3')] });
    const after = renderKept('previews', { previews: [preview('Lịch tiếp công dân tháng 4')] });
    expect(before).toContain('tháng 3');
    expect(after).toContain('tháng 4');
    expect(after).toBe(renderView('previews', { previews: [preview('Lịch tiếp công dân tháng 4')] }));
  });
});
