import { describe, expect, it } from 'vitest';
import { csvRecords, parseCsv } from '../../cli/csv.js';

describe('CSV', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, CRLF and a BOM', () => {
    const text = '\uFEFFfile,name\r\na.jpg,"Siamese cat, Siamese"\r\nb.jpg,"say ""hi""\nthere"\n\n';
    expect(parseCsv(text)).toEqual([
      ['file', 'name'],
      ['a.jpg', 'Siamese cat, Siamese'],
      ['b.jpg', 'say "hi"\nthere'],
    ]);
  });

  it('reads rows ending in CR, LF and CRLF in one file', () => {
    expect(parseCsv('a,b\rc,d\n\ne,"f"""\r\n')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
      ['e', 'f"'],
    ]);
  });

  it('keeps a quote inside an unquoted field as a character', () => {
    expect(parseCsv('file,name\nx.jpg,5" wide\n')).toEqual([
      ['file', 'name'],
      ['x.jpg', '5" wide'],
    ]);
  });

  it('refuses a quote left open instead of reading the rest of the file into one field', () => {
    expect(() => parseCsv('file,name\na.jpg,"Siamese\nb.jpg,Beagle\n')).toThrow(
      expect.objectContaining({ code: 'CSV_QUOTE_NOT_CLOSED' }),
    );
  });

  it('keys records by lower-cased header names and fills missing cells with ""', () => {
    expect(csvRecords('File,Breed\nx.jpg\n')).toEqual([{ file: 'x.jpg', breed: '' }]);
  });
});
