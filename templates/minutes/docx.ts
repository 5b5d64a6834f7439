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
import type { DocumentBlock, WordDocument } from '#shared/domain/documents.ts';
import type { MinutesDocument } from '#shared/domain/minutes.ts';

/** Japanese documents are set in Mincho; Word picks the East Asian font for kanji and kana. */
const FONT = { ascii: 'Yu Mincho', hAnsi: 'Yu Mincho', eastAsia: 'Yu Mincho', cs: 'Yu Mincho' };
const border = { style: BorderStyle.SINGLE, size: 4, color: '000000' };

/** Text with line breaks as one paragraph, the way Word keeps an edited block together. */
function lines(text: string, options: { bold?: boolean; italics?: boolean } = {}): TextRun[] {
  return text.split('\n').map((line, i) => new TextRun({ text: line, break: i > 0 ? 1 : 0, ...options }));
}

/** The media type of a Word file. */
export const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

const ALIGN = { right: AlignmentType.RIGHT, center: AlignmentType.CENTER } as const;
const paragraph = (b: DocumentBlock) =>
  new Paragraph({ spacing: { after: 120 }, ...(b.align ? { alignment: ALIGN[b.align] } : {}), children: lines(b.text, b.withheld ? { italics: true } : {}) });

/**
 * The minutes as a Word file, laid out as cities file them: a title, the header table
 * (会議の名称 … 問い合わせ先), then 会議経過 with a heading per agenda item. A4, page numbers.
 */
export function minutesDocx(doc: MinutesDocument, onProgress?: (done: number, total: number) => Promise<void> | void): Promise<Buffer> {
  return documentDocx({ title: doc.title, header: doc.header, part: '会議経過', sections: doc.sections }, onProgress);
}

/**
 * Any of the council's documents as a Word file — the minutes, the 会議次第, the 答申書 — in one
 * layout: the title, the lead lines, the label/value table, the part heading, a heading per
 * section (none when a section has no heading) and the closing lines. A4 in Mincho, page numbers.
 */
export async function documentDocx(doc: WordDocument, onProgress?: (done: number, total: number) => Promise<void> | void): Promise<Buffer> {
  const children: (Paragraph | Table)[] = [
    new Paragraph({ alignment: AlignmentType.CENTER, heading: HeadingLevel.TITLE, children: [new TextRun({ text: doc.title, bold: true, size: 32 })] }),
    ...(doc.lead ?? []).map(paragraph),
  ];
  if (doc.header?.length) {
    children.push(
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
    );
  }
  if (doc.part)
    children.push(new Paragraph({ heading: HeadingLevel.HEADING_1, spacing: { before: 400 }, children: [new TextRun({ text: doc.part, bold: true })] }));
  let done = 0;
  for (const section of doc.sections) {
    if (section.heading) {
      children.push(
        new Paragraph({ heading: HeadingLevel.HEADING_2, spacing: { before: 240 }, children: [new TextRun({ text: section.heading, bold: true })] }),
      );
    }
    for (const b of section.blocks) if (b.text) children.push(paragraph(b));
    await onProgress?.(++done, doc.sections.length);
  }
  children.push(...(doc.closing ?? []).map(paragraph));
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
