import { mergedCommunes, UnitRegistry } from '../../src/importer/units';

test('a commune named with the communes it was made from takes their old names in the plan', () => {
  const text =
    'Giao UBND xã Tân Phú (trên cơ sở sáp nhập xã Tân Lập, xã Tân Hòa và thị trấn Tân Bình) chủ trì; phường An Lạc (nhập từ phường An Lạc A và phường Bình Trị Đông) phối hợp.';
  const merged = mergedCommunes(text);
  expect([...merged]).toEqual([
    ['tan-lap', 'xã Tân Phú'],
    ['tan-hoa', 'xã Tân Phú'],
    ['tan-binh', 'xã Tân Phú'],
    ['an-lac-a', 'phường An Lạc'],
    ['binh-tri-dong', 'phường An Lạc'],
  ]);
  const units = new UnitRegistry();
  units.mapMerged(merged);
  expect(units.add('UBND xã Tân Lập')).toBe('ubnd-xa-tan-phu');
  expect(units.add('UBND phường Bình Trị Đông')).toBe('ubnd-phuong-an-lac');
  expect(units.add('Sở Nội vụ')).toBe('so-noi-vu');
  expect(units.all().map((u) => u.name)).toEqual(['UBND xã Tân Phú', 'UBND phường An Lạc', 'Sở Nội vụ']);
});

test('without such a sentence old and new names stay apart', () => {
  const units = new UnitRegistry();
  units.mapMerged(mergedCommunes('UBND xã Tân Lập và UBND xã Tân Phú phối hợp.'));
  expect(units.add('UBND xã Tân Lập')).toBe('ubnd-xa-tan-lap');
});
