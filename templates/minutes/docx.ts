import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  HeadingLevel,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import type { MinutesDocument } from '#shared/domain/minutes.ts';

/** Japanese documents are set in Mincho; Word picks the East Asian font for kanji and kana. */
const FONT = { ascii: 'Yu Mincho', hAnsi: 'Yu Mincho', eastAsia: 'Yu Mincho', cs: 'Yu Mincho' };
const border = { style: BorderStyle.SINGLE, size: 4, color: '000000' };

/** Text with line breaks as one paragraph, the way Word keeps an edited block together. */
function lines(text: string, options: { bold?: boolean; italics?: boolean } = {}): TextRun[] {
  return text.split('\n').map((line, i) => new TextRun({ text: line, break: i > 0 ? 1 : 0, ...options }));
}

/**
 * The minutes as a Word file, laid out as cities file them: a title, the header table
 * (会議の名称 … 問い合わせ先), then 会議経過 with a heading per agenda item. A4, page numbers.
 */
export async function minutesDocx(doc: MinutesDocument, onProgress?: (done: number, total: number) => Promise<void> | void): Promise<Buffer> {
  const children: (Paragraph | Table)[] = [
    new Paragraph({ alignment: AlignmentType.CENTER, heading: HeadingLevel.TITLE, children: [new TextRun({ text: doc.title, bold: true, size: 32 })] }),
    new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      rows: doc.header.map(
        ([label, value]) =>
          new TableRow({
            children: [
              new TableCell({
                width: { size: 22, type: WidthType.PERCENTAGE },
                borders: { top: border, bottom: border, left: border, right: border },
                children: [new Paragraph({ children: [new TextRun({ text: label, bold: true })] })],
              }),
              new TableCell({
                width: { size: 78, type: WidthType.PERCENTAGE },
                borders: { top: border, bottom: border, left: border, right: border },
                children: [new Paragraph({ children: lines(value) })],
              }),
            ],
          }),
      ),
    }),
    new Paragraph({ heading: HeadingLevel.HEADING_1, spacing: { before: 400 }, children: [new TextRun({ text: '会議経過', bold: true })] }),
  ];
  let done = 0;
  for (const section of doc.sections) {
    children.push(new Paragraph({ heading: HeadingLevel.HEADING_2, spacing: { before: 240 }, children: [new TextRun({ text: section.heading, bold: true })] }));
    for (const b of section.blocks) {
      if (b.text) children.push(new Paragraph({ spacing: { after: 120 }, children: lines(b.text, b.withheld ? { italics: true } : {}) }));
    }
    await onProgress?.(++done, doc.sections.length);
  }
  const document = new Document({
    creator: '個人情報保護審議会 審議システム',
    title: doc.title,
    styles: {
      default: {
        document: { run: { font: FONT, size: 21 } },
        heading1: { run: { font: FONT, size: 26, bold: true } },
        heading2: { run: { font: FONT, size: 23, bold: true } },
      },
    },
    sections: [
      {
        properties: { page: { size: { width: 11906, height: 16838 }, margin: { top: 1440, bottom: 1440, left: 1300, right: 1300 } } },
        footers: {
          default: new Footer({
            children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: ['- ', PageNumber.CURRENT, ' -'] })] })],
          }),
        },
        children,
      },
    ],
  });
  return Packer.toBuffer(document);
}
