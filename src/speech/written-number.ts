import { sayCardinal, sayDigits } from './cardinal';
import type { Dialect } from './types';

/** Fractional digits beyond this are read one by one: nobody says "ba phẩy mười bốn nghìn…". */
const MAX_FRACTION_AS_NUMBER = 3;

/**
 * Says a number as written in Vietnamese text: "." groups thousands, "," is the decimal point.
 * `warn` receives a sentence when the writing is ambiguous; the reading is still given.
 */
export function sayWrittenNumber(written: string, dialect: Dialect, warn: (message: string) => void): string {
  const negative = /^[-−]/.test(written);
  const body = written.replace(/^[-−]/, '');
  const spoken = sayUnsigned(body, dialect, warn);
  return negative ? `âm ${spoken}` : spoken;
}

function sayUnsigned(body: string, dialect: Dialect, warn: (message: string) => void): string {
  if (/^\d{1,3}(?:\.\d{3})+(?:,\d+)?$/.test(body)) {
    const [integer = '', fraction] = body.split(',');
    return sayDecimal(integer.replace(/\./g, ''), fraction, dialect);
  }
  if (/^\d{1,3}(?:,\d{3}){2,}$/.test(body)) {
    warn(
      `"${body}" được đọc như số viết kiểu Anh (dấu phẩy phân cách hàng nghìn); nên viết ${body.replace(/,/g, '.')}`,
    );
    return sayCardinal(body.replace(/,/g, ''), dialect);
  }
  if (/^\d{1,3}(?:,\d{3})+\.\d+$/.test(body)) {
    const [integer = '', fraction] = body.split('.');
    warn(
      `"${body}" được đọc như số viết kiểu Anh (phẩy hàng nghìn, chấm thập phân); nên viết ${integer.replace(/,/g, '.')},${fraction}`,
    );
    return sayDecimal(integer.replace(/,/g, ''), fraction, dialect);
  }
  if (/^\d+(?:\.\d+){2,}$/.test(body)) {
    // Addresses and versions (192.168.1.1, 1.25.3) are read digit by digit, the way they are typed.
    return body.split('.').map(sayDigits).join(' chấm ');
  }
  if (/^\d+\.\d+$/.test(body)) {
    warn(`"${body}": dấu chấm không tách hàng nghìn nên được đọc là "chấm"; số thập phân viết bằng dấu phẩy`);
    const [integer = '', fraction = ''] = body.split('.');
    return `${sayCardinal(integer, dialect)} chấm ${sayFraction(fraction, dialect)}`;
  }
  const [integer = '', fraction] = body.split(',');
  if (fraction !== undefined && fraction.length === 3 && !/^0/.test(integer)) {
    warn(`"${body}" được đọc là số thập phân ("phẩy"); nếu là hàng nghìn, hãy viết ${integer}.${fraction}`);
  }
  return sayDecimal(integer, fraction, dialect);
}

export function sayDecimal(integer: string, fraction: string | undefined, dialect: Dialect): string {
  const whole = sayCardinal(integer, dialect);
  return fraction === undefined ? whole : `${whole} phẩy ${sayFraction(fraction, dialect)}`;
}

/** Leading zeros are said ("1,05" → một phẩy không năm), then the rest as one number (98,25 → hai mươi lăm). */
function sayFraction(fraction: string, dialect: Dialect): string {
  const rest = fraction.replace(/^0+/, '');
  if (rest === '' || rest.length > MAX_FRACTION_AS_NUMBER) return sayDigits(fraction);
  const zeros = fraction.slice(0, fraction.length - rest.length);
  return [sayDigits(zeros), sayCardinal(rest, dialect)].filter(Boolean).join(' ');
}
