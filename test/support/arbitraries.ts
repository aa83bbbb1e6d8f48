/** fast-check strings rich in what breaks text handling: full width, odd spaces, CJK, controls. */
import fc from 'fast-check';

const tricky = fc
  .oneof(
    fc.integer({ min: 0, max: 0x7f }),
    fc.integer({ min: 0xff00, max: 0xff65 }),
    fc.constantFrom(0x3000, 0xa0, 0xfeff, 0x1680, 0x2010, 0x2014, 0x2212, 0x2028, 0x4e0a, 0x6d77, 0xdf, 0x131),
    fc.integer({ min: 0, max: 0xffff }),
  )
  .map((c) => String.fromCharCode(c));
export const trickyString = fc.string({ unit: tricky, maxLength: 40 });
