import { describe, expect, it } from 'vitest';
import { fileNameOf } from './formats.js';

describe('fileNameOf', () => {
  it('prefers the UTF-8 name Express writes for an accented title', () => {
    expect(
      fileNameOf(
        'attachment; filename="conferences-familiales-a-l?ardeche.pdf"; filename*=UTF-8\'\'conf%C3%A9rences-familiales.pdf',
        'pdf',
      ),
    ).toBe('conférences-familiales.pdf');
  });

  it('reads a plain quoted or bare name, and falls back to document.<ext>', () => {
    expect(fileNameOf('attachment; filename="fiche.docx"', 'docx')).toBe('fiche.docx');
    expect(fileNameOf('attachment; filename=fiche.odt', 'odt')).toBe('fiche.odt');
    expect(fileNameOf(null, 'md')).toBe('document.md');
    expect(fileNameOf('attachment', 'html')).toBe('document.html');
  });

  it('never lets a name choose a folder, nor keeps a malformed encoding', () => {
    expect(fileNameOf('attachment; filename="../../etc/passwd"', 'pdf')).toBe('.._.._etc_passwd');
    expect(fileNameOf('attachment; filename*=UTF-8\'\'%E0%A4%A; filename="repli.pdf"', 'pdf')).toBe(
      'repli.pdf',
    );
  });
});
