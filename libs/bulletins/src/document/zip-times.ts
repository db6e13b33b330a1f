/**
 * Sets every entry's modification time in a zip file (an .docx) to one instant, in place: the
 * zip writer stamps entries with the time of packing, which would make the same bulletin a
 * different file on every download. Walks the central directory (PKWARE APPNOTE 4.3.12/4.3.7);
 * only the two time fields change, so sizes, offsets and CRCs stay valid.
 */
export function fixZipTimes(zip: Buffer, at: Date): Buffer {
  const out = Buffer.from(zip);
  // DOS date and time, in UTC components, so the bytes do not depend on the server's time zone.
  const dos =
    (((at.getUTCFullYear() - 1980) << 25) |
      ((at.getUTCMonth() + 1) << 21) |
      (at.getUTCDate() << 16) |
      (at.getUTCHours() << 11) |
      (at.getUTCMinutes() << 5) |
      (at.getUTCSeconds() >> 1)) >>>
    0;
  const eocd = out.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('not a zip file: no end of central directory');
  const entries = out.readUInt16LE(eocd + 10);
  let p = out.readUInt32LE(eocd + 16);
  for (let i = 0; i < entries; i++) {
    if (out.readUInt32LE(p) !== 0x02014b50) throw new Error('not a zip file: bad central directory entry');
    out.writeUInt32LE(dos, p + 12);
    const local = out.readUInt32LE(p + 42);
    if (out.readUInt32LE(local) !== 0x04034b50) throw new Error('not a zip file: bad local header');
    out.writeUInt32LE(dos, local + 10);
    p += 46 + out.readUInt16LE(p + 28) + out.readUInt16LE(p + 30) + out.readUInt16LE(p + 32);
  }
  return out;
}
