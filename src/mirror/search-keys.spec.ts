import { foldName, phonesE164Of } from './search-keys.js';

describe('foldName', () => {
  it.each([
    ['Nguyễn Văn A', 'nguyen van a'],
    ['  TRẦN   thị  Bích ', 'tran thi bich'],
    ['Đặng Đức Đạt', 'dang duc dat'],
    ['Lê Hoàng Phúc', 'le hoang phuc'],
    ['Ngô Thừa Ân', 'ngo thua an'],
    ['José Müller', 'jose muller'],
  ])('%s -> %s', (name, folded) => {
    expect(foldName(name)).toBe(folded);
  });

  it('gives null for no name', () => {
    expect(foldName(null)).toBeNull();
    expect(foldName('   ')).toBeNull();
  });

  it('folds precomposed and decomposed spellings alike', () => {
    expect(foldName('Nguy\u1ec5n')).toBe(foldName('Nguye\u0302\u0303n'));
  });
});

describe('phonesE164Of', () => {
  it('normalizes every spelling, keeps the first order, drops repeats and what does not parse', () => {
    expect(
      phonesE164Of(['090 123-4567', '(+84) 90 123 4567', 'not a phone', '84912345678'], 'VN'),
    ).toEqual(['+84901234567', '+84912345678']);
  });
});
