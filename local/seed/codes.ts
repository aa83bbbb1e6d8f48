/**
 * The demo data's random source and checksummed identifiers (USCC, organisation code, registration
 * number, resident ID), each a pure function of a number so the same seed gives the same codes.
 */
import { idCheckChar, orgCodeCheckChar, regNoCheckDigit, usccCheckChar } from '#core/identifiers';

// ---------------------------------------------------------------------------------------------
// PRNG

/** mulberry32: a tiny, fast 32-bit PRNG; good enough for demo data, never for secrets. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Rng = () => number;

export function int(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

export function pick<T>(rng: Rng, list: readonly T[]): T {
  return list[Math.floor(rng() * list.length)]!;
}

export function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

// ---------------------------------------------------------------------------------------------
// Identifiers

const USCC_BODY_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY'; // USCC characters (no I, O, S, V, Z)
const BODY_SPACE = 31 ** 6;

export interface MakeUsccOptions {
  /** Registration authority + organisation type, e.g. '91' enterprise, '92' individual business, '51' social group. */
  prefix?: string;
  /** GB/T 2260 division code of the registering authority; default Pudong (310115). */
  division?: string;
}

/** The n-th organisation-code body: 'MA' + six USCC characters, a bijection of n (distinct n → distinct bodies). */
function orgBody(n: number): string {
  let v = ((((n % BODY_SPACE) * 48271 + 7_654_321) % BODY_SPACE) + BODY_SPACE) % BODY_SPACE;
  let tail = '';
  for (let i = 0; i < 6; i++) {
    tail = USCC_BODY_ALPHABET[v % 31] + tail;
    v = Math.floor(v / 31);
  }
  return `MA${tail}`;
}

/** A valid organisation code (GB 11714), distinct for distinct n. */
export function makeOrgCode(n: number): string {
  const body = orgBody(n);
  return body + orgCodeCheckChar(body);
}

/** A valid USCC whose embedded organisation code is makeOrgCode(n). */
export function makeUscc(n: number, opts: MakeUsccOptions = {}): string {
  const first17 = `${opts.prefix ?? '91'}${opts.division ?? '310115'}${makeOrgCode(n)}`;
  return first17 + usccCheckChar(first17);
}

/** A valid 15-digit registration number (GS 15): authority code + 8-digit sequence + MOD 11,10 check. */
export function makeRegNo(n: number, division = '310115'): string {
  const first14 = `${division}${pad(Math.abs(n) % 100_000_000, 8)}`;
  return first14 + regNoCheckDigit(first14);
}

const ID_REGIONS = [
  '310101',
  '310104',
  '310105',
  '310106',
  '310107',
  '310109',
  '310110',
  '310112',
  '310113',
  '310115',
  '320102',
  '330106',
  '340104',
  '110105',
  '420106',
  '510107',
];

/** A valid 18-digit resident ID number, born 1950–2004; distinct for distinct n below 16 000. */
export function makeIdNumber(n: number): string {
  const rng = mulberry32(n * 2654435761);
  const region = ID_REGIONS[n % ID_REGIONS.length]!;
  const seq = pad(Math.floor(n / ID_REGIONS.length) % 1000, 3);
  const year = int(rng, 1950, 2004);
  const month = int(rng, 1, 12);
  const day = int(rng, 1, 28);
  const first17 = `${region}${year}${pad(month, 2)}${pad(day, 2)}${seq}`;
  return first17 + idCheckChar(first17);
}
