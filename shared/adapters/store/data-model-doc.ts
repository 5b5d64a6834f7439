/**
 * The generated parts of docs/data-model.md, written from the entity definitions and access
 * patterns. The file keeps its hand-written prose; each generated part sits between a pair
 * of markers and is rewritten whole. tests/unit/data-model.test.ts fails when the file differs
 * from what this produces (UPDATE_DOCS=1 rewrites it).
 */
import { type AccessPattern, patterns } from './access-patterns.ts';
import { ENTITIES, PARTITIONS } from './entities.ts';
import type { AnyEntity, Index } from './entity.ts';
import { GSIS, LEGACY_VERSION, TABLE_KEYS, TYPE_ATTRIBUTE, VERSION_ATTRIBUTE } from './table.ts';
import type { Template } from './template.ts';

const COUNCIL_HEAD = PARTITIONS.council.prefix();

/** A key template in code font; † marks a partition shared by every council (see Tenancy). */
const shown = (t: Template, partition = false) => `\`${t}\`${partition && !t.toString().startsWith(COUNCIL_HEAD) ? ' †' : ''}`;
const row = (cells: string[]) => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
const table = (head: string[], rows: string[][]) => [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');
const indexesOf = (e: AnyEntity) => Object.values(e.indexes) as Index<unknown>[];

function tableSection(): string {
  return table(
    ['attribute', 'role'],
    [
      [`\`${TABLE_KEYS.partition}\`, \`${TABLE_KEYS.sort}\``, 'table partition and sort key (strings)'],
      ...GSIS.map((g) => [
        `\`${g.partition}\`, \`${g.sort}\``,
        `global index \`${g.name}\` (all attributes projected): ${ENTITIES.filter((e) => indexesOf(e).some((i) => i.gsi === g))
          .map((e) => e.type)
          .join(', ')}`,
      ]),
      [
        `\`${TYPE_ATTRIBUTE}\`, \`${VERSION_ATTRIBUTE}\``,
        `the entity's type and the version of its shape, on every item written (none: version ${LEGACY_VERSION})`,
      ],
    ],
  );
}

function entitiesSection(): string {
  return table(
    ['entity (`_type`)', 'v', 'pk', 'sk', 'what'],
    ENTITIES.map((e) => [`\`${e.type}\``, String(e.version), shown(e.pk, true), shown(e.sk), e.doc]),
  );
}

function indexesSection(): string {
  return table(
    ['index', 'entity', 'partition', 'sort', 'for'],
    GSIS.flatMap((g) =>
      ENTITIES.flatMap((e) =>
        indexesOf(e)
          .filter((i) => i.gsi === g)
          .map((i) => [`\`${g.name}\``, `\`${e.type}\`.${i.name}`, shown(i.spec.pk, true), shown(i.spec.sk), i.spec.doc]),
      ),
    ),
  );
}

function operation(p: AccessPattern): string {
  const consistent = p.consistent ? ', consistent' : '';
  switch (p.kind) {
    case 'get':
      return `GetItem \`${TABLE_KEYS.partition} = ${p.entity.pk}\`, \`${TABLE_KEYS.sort} = ${p.entity.sk}\`${consistent}`;
    case 'query': {
      const gsi = p.index;
      const where = gsi ? `Query \`${gsi.name}\` where \`${gsi.partition} = ${p.partition}\`` : `Query \`${TABLE_KEYS.partition} = ${p.partition}\``;
      const sort = p.sortPrefix ? `, \`begins_with(${TABLE_KEYS.sort}, ${p.sortPrefix})\`` : '';
      return `${where}${sort}${p.newestFirst ? ', newest first (a bounded page)' : ''}${consistent}`;
    }
    case 'records': {
      const after = p.without.slice(0, -1) + String.fromCharCode(p.without.charCodeAt(p.without.length - 1) + 1);
      return `Query \`${TABLE_KEYS.partition} = ${p.partition}\` with \`${TABLE_KEYS.sort} < ${p.without}\` and with \`${TABLE_KEYS.sort} > ${after}\`${consistent}`;
    }
  }
}

function accessPatternsSection(): string {
  const returns = (p: AccessPattern) =>
    (p.kind === 'records' ? p.entities : [p.entity, ...(p.kind === 'query' ? (p.alsoReturns ?? []) : [])]).map((e) => `\`${e.type}\``).join(', ');
  return table(
    ['name', 'operation', 'returns', 'what'],
    Object.entries(patterns).map(([name, p]) => [`\`${name}\``, operation(p), returns(p), p.doc]),
  );
}

export const GENERATED_SECTIONS: Record<string, () => string> = {
  table: tableSection,
  entities: entitiesSection,
  indexes: indexesSection,
  'access-patterns': accessPatternsSection,
};

const begin = (name: string) => `<!-- generated: ${name} (from shared/adapters/store; UPDATE_DOCS=1 npx vitest run tests/unit/data-model.test.ts) -->`;
const end = (name: string) => `<!-- end generated: ${name} -->`;

/** The document with every generated part rewritten; throws if a part's markers are missing. */
export function regenerateDataModel(markdown: string): string {
  let out = markdown;
  for (const [name, render] of Object.entries(GENERATED_SECTIONS)) {
    const from = out.indexOf(begin(name));
    const to = out.indexOf(end(name));
    if (from < 0 || to < from) throw new Error(`docs/data-model.md: no markers for the generated part "${name}":\n${begin(name)}\n…\n${end(name)}`);
    out = `${out.slice(0, from)}${begin(name)}\n${render()}\n${out.slice(to)}`;
  }
  return out;
}
