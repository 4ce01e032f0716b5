// Word lists for generated customers: mostly Vietnamese with diacritics, as on real pages.

export const FAMILY_NAMES = [
  'Nguyễn',
  'Trần',
  'Lê',
  'Phạm',
  'Hoàng',
  'Huỳnh',
  'Phan',
  'Vũ',
  'Võ',
  'Đặng',
  'Bùi',
  'Đỗ',
  'Hồ',
  'Ngô',
  'Dương',
  'Lý',
] as const;

export const MIDDLE_NAMES = [
  'Văn',
  'Thị',
  'Minh',
  'Ngọc',
  'Thu',
  'Đức',
  'Hữu',
  'Thanh',
  'Gia',
  'Bảo',
] as const;

export const GIVEN_NAMES = [
  'An',
  'Bình',
  'Châu',
  'Dũng',
  'Hà',
  'Hải',
  'Hương',
  'Khánh',
  'Linh',
  'Lộc',
  'Mai',
  'Nam',
  'Phúc',
  'Quân',
  'Thảo',
  'Trang',
  'Tuấn',
  'Vy',
  'Yến',
  'Đạt',
  'Ánh',
  'Hạnh',
  'Nhung',
  'Sơn',
] as const;

export const WESTERN_NAMES = [
  'John Smith',
  'Emily Tran',
  'Michael Nguyen',
  'Sarah Le',
  'David Pham',
  'Anna Hoang',
] as const;

export const DECORATIONS = ['🌸', '✨', '💕', '⭐'] as const;

export const CITIES = [
  'Hà Nội',
  'TP. Hồ Chí Minh',
  'Đà Nẵng',
  'Hải Phòng',
  'Cần Thơ',
  'Huế',
  'Nha Trang',
  'Biên Hòa',
] as const;

export const EMAIL_DOMAINS = ['gmail.com', 'yahoo.com', 'outlook.com', 'icloud.com'] as const;

export const MOBILE_PREFIXES = [
  '090',
  '091',
  '093',
  '094',
  '096',
  '097',
  '098',
  '086',
  '088',
  '089',
  '032',
  '033',
  '035',
  '037',
  '038',
  '039',
  '070',
  '076',
  '077',
  '079',
  '081',
  '083',
  '084',
  '085',
  '056',
  '058',
] as const;

export const NOTE_MESSAGES = [
  'Khách hỏi giá size M',
  'Đã gửi báo giá qua inbox',
  'Khách hẹn thứ 7 ghé shop',
  'Giao hàng COD, gọi trước khi giao',
  'Khách quen, giảm 10%',
  'Đổi size áo lần 2',
  'Customer asked for an invoice',
  'Chưa nghe máy, gọi lại sau 17h',
  'VIP 🌟 ưu tiên xử lý',
  'Địa chỉ mới: 12 Lê Lợi, Quận 1',
] as const;

export const STAFF_NAMES = ['Trần Thu Hà', 'Lê Minh Đức', 'Phạm Ngọc Ánh'] as const;
