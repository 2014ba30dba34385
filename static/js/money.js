// Money, as the API keeps it: an integer number of minor units (cents,
// yen, fils) with an ISO 4217 currency code. People type and read decimal
// amounts ("1250.00"); this module turns one into the other exactly, by
// working on the digits as text, never through a float.

// minorDigits lists the currencies whose minor unit is not two decimal
// digits, as the service does (partner/money.go, from ISO 4217).
const nonTwo = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0,
  RWF: 0, UGX: 0, UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  CLF: 4, UYW: 4,
};

// maxAmount is the largest amount the API takes, in minor units.
const maxAmount = 10_000_000_000_000;

// minorDigits returns how many decimal digits a currency's minor unit has.
export function minorDigits(currency) {
  const d = nonTwo[String(currency || '').toUpperCase()];
  return d === undefined ? 2 : d;
}

// validCurrency reports whether code looks like an ISO 4217 code (the API
// checks it is a real one).
export function validCurrency(code) {
  return /^[A-Z]{3}$/.test(String(code || ''));
}

// parseMoney reads what a person typed ("1250.00", "1 250,5", "-5") as an
// amount of currency in minor units. It returns {amount} or {error} (a
// message for the field). Grouping spaces and commas are allowed; a comma
// not followed by three digits is a decimal comma. With signed, the
// amount may be negative (never zero); otherwise it must be above zero.
// readMoney reads an amount typed into a form with its currency:
// { money } with the amount in minor units, or { fields } with the errors
// under the form's field names, the currency's first.
export function readMoney(amountText, currencyText, field, opts) {
  const currency = (currencyText || '').toUpperCase();
  if (!validCurrency(currency)) return { fields: { currency: 'must be a three-letter code such as USD or EUR' } };
  const m = parseMoney(amountText, currency, opts);
  if (m.error) return { fields: { [field]: m.error } };
  return { money: { amount: m.amount, currency } };
}

export function parseMoney(text, currency, { signed = false } = {}) {
  const code = String(currency || '').toUpperCase();
  if (!validCurrency(code)) return { error: 'choose the currency first (a three-letter code such as EUR)' };
  const digits = minorDigits(code);
  let s = String(text ?? '').trim().replace(/[\s\u00a0\u202f'’_]/g, '').replace(/^[−–]/, '-');
  if (s === '') return { error: 'is required' };
  if (s.includes('.') && s.includes(',')) {
    if (s.lastIndexOf(',') > s.lastIndexOf('.')) return { error: 'write the amount with a dot for decimals, like 1250.00' };
    s = s.replace(/,/g, '');
  } else if (s.includes(',')) {
    // "1,250,000" and (for two-decimal currencies) "1,250" group
    // thousands; "12,5" has a decimal comma.
    const grouped = /^-?\d{1,3}(,\d{3})+$/.test(s) && (s.split(',').length > 2 || digits !== 3);
    s = grouped ? s.replace(/,/g, '') : s.replace(',', '.');
  }
  const m = /^(-)?(\d+)(?:\.(\d*))?$/.exec(s) || /^(-)?()\.(\d+)$/.exec(s);
  if (!m) return { error: 'must be an amount such as 1250.00' };
  const [, minus, whole, frac = ''] = m;
  if (frac.length > digits) {
    return { error: digits === 0 ? `${code} has no decimals: write a whole amount` : `${code} has ${digits} decimals at most` };
  }
  const units = BigInt((whole || '0') + frac.padEnd(digits, '0')) * (minus ? -1n : 1n);
  if (units === 0n) return { error: signed ? 'must not be zero' : 'must be more than zero' };
  if (units < 0n && !signed) return { error: 'must be more than zero' };
  if (units > BigInt(maxAmount) || units < -BigInt(maxAmount)) return { error: 'is too large' };
  return { amount: Number(units) };
}

// decimal writes amount minor units of currency as a plain decimal, the way
// an input takes it back: 125000 USD is "1250.00", -5 JPY is "-5".
export function decimal(amount, currency) {
  const digits = minorDigits(currency);
  const neg = amount < 0;
  let s = String(Math.abs(Math.trunc(Number(amount) || 0)));
  if (digits > 0) {
    s = s.padStart(digits + 1, '0');
    s = `${s.slice(0, -digits)}.${s.slice(-digits)}`;
  }
  return (neg ? '-' : '') + s;
}

let grouping;
let decimalSign;

// formatMoney writes an amount for people, in their locale's digit
// grouping, with the currency's decimals and its code: "1,250.00 USD",
// "1,250 JPY", "12.345 KWD".
export function formatMoney(amount, currency) {
  if (!grouping) {
    grouping = new Intl.NumberFormat(undefined, { useGrouping: true, maximumFractionDigits: 0 });
    decimalSign = (new Intl.NumberFormat().formatToParts(1.5).find((p) => p.type === 'decimal') || { value: '.' }).value;
  }
  const [whole, frac] = decimal(amount, currency).replace('-', '').split('.');
  const sign = Number(amount) < 0 ? '−' : '';
  return `${sign}${grouping.format(BigInt(whole))}${frac ? decimalSign + frac : ''} ${currency}`;
}

// money formats an API money object ({amount, currency}).
export function money(m) {
  return m ? formatMoney(m.amount, m.currency) : '—';
}

// majorUnits turns minor units into a number of major units, for charts
// only: what a chart draws need not be exact to the cent.
export function majorUnits(amount, currency) {
  return Number(amount) / 10 ** minorDigits(currency);
}
