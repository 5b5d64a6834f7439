import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { patterns } from '#shared/adapters/store/access-patterns.ts';
import * as entities from '#shared/adapters/store/entities.ts';
import { defineEntity, InvalidItemError } from '#shared/adapters/store/entity.ts';
import { GSI1 } from '#shared/adapters/store/table.ts';
import { key } from '#shared/adapters/store/template.ts';
import { keys } from '#shared/keys.ts';

const { ENTITIES, consultation, agendaItem, followUp, council } = entities;

/**
 * The key builders as shared/keys.ts spelled them before the entity layer: stored data was
 * written with these values, so the templates must produce exactly the same strings.
 */
const council_ = (c: string) => `C#${c}`;
const case_ = (c: string, k: string) => `C#${c}#CASE#${k}`;
const legacy = {
  council: (c: string) => ({ pk: council_(c), sk: 'COUNCIL' }),
  councilRegistry: (c: string, name: string) => ({ gsi1pk: 'COUNCILS', gsi1sk: `${name}#${c}` }),
  member: (c: string, m: string) => ({ pk: council_(c), sk: `MEMBER#${m}` }),
  department: (c: string, d: string) => ({ pk: council_(c), sk: `DEPT#${d}` }),
  staff: (c: string, u: string) => ({ pk: council_(c), sk: `STAFF#${u}` }),
  consultation: (c: string, k: string) => ({ pk: case_(c, k), sk: 'CASE' }),
  consultationByDepartment: (c: string, d: string, at: string) => ({ gsi2pk: `${council_(c)}#DEPT#${d}`, gsi2sk: at }),
  screeningRound: (c: string, k: string, r: number) => ({ pk: case_(c, k), sk: `ROUND#${String(r).padStart(3, '0')}` }),
  attachment: (c: string, k: string, a: string) => ({ pk: case_(c, k), sk: `ATT#${a}` }),
  consultationCounter: (c: string, fy: number) => ({ pk: council_(c), sk: `COUNTER#CASE#${fy}` }),
  meeting: (c: string, m: string) => ({ pk: council_(c), sk: `MEETING#${m}` }),
  agendaItem: (c: string, m: string, i: string) => ({ pk: `${council_(c)}#MEETING#${m}`, sk: `ITEM#${i}` }),
  minutes: (c: string, m: string) => ({ pk: `${council_(c)}#MEETING#${m}`, sk: 'MINUTES' }),
  minutesVersion: (c: string, m: string, v: number) => ({ pk: `${council_(c)}#MEETING#${m}`, sk: `MINUTES#V${String(v).padStart(4, '0')}` }),
  minutesExport: (c: string, m: string, e: string) => ({ pk: `${council_(c)}#MEETING#${m}`, sk: `EXPORT#${e}` }),
  meetingCounter: (c: string, fy: number) => ({ pk: council_(c), sk: `COUNTER#MEETING#${fy}` }),
  // Changed on purpose when the jobs went per council: a council's own list, by due day (the hourly
  // migration unit moves what is left in the old OPEN_ROUNDS partition; see AgendaRepository.migrateLegacyRounds).
  openRound: (due: string, c: string, m: string, i: string) => ({ gsi1pk: `${council_(c)}#OPEN_ROUNDS`, gsi1sk: `${due}#${m}#${i}` }),
  consultationByBusiness: (c: string, b: string, at: string) => ({ gsi3pk: `${council_(c)}#BIZ#${b}`, gsi3sk: at }),
  followUp: (c: string, k: string, f: string) => ({ pk: case_(c, k), sk: `FU#${f}` }),
  // No longer also on the OPEN_FOLLOWUPS partition shared by all councils (the migration takes old entries off it).
  activeFollowUp: (c: string, k: string, f: string, due: string) => ({
    gsi2pk: `${council_(c)}#FOLLOWUPS`,
    gsi2sk: `${due}#${k}#${f}`,
  }),
  answer: (c: string, k: string) => ({ pk: case_(c, k), sk: 'ANSWER' }),
  consultationByStatus: (c: string, s: string, at: string) => ({ gsi1pk: `${council_(c)}#STATUS#${s}`, gsi1sk: at }),
  audit: (c: string, k: string, at: string, e: string) => ({ pk: case_(c, k), sk: `AUDIT#${at}#${e}` }),
};

const id = fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/);
const at = fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
const n = fc.integer({ min: 1, max: 9999 });

describe('entity key templates', () => {
  it('build exactly the key values stored before the entity layer', () => {
    fc.assert(
      fc.property(id, id, id, id, at, n, (c, a, b, d, time, num) => {
        const same = <A extends unknown[]>(name: keyof typeof legacy, ...args: A) =>
          expect((keys as unknown as Record<string, (...x: A) => unknown>)[name]!(...args), name).toEqual(
            (legacy as unknown as Record<string, (...x: A) => unknown>)[name]!(...args),
          );
        same('council', c);
        same('councilRegistry', c, `審議会 ${a}`);
        same('member', c, a);
        same('department', c, a);
        same('staff', c, a);
        same('consultation', c, a);
        same('consultationByDepartment', c, b, time);
        same('screeningRound', c, a, num % 1000);
        same('attachment', c, a, b);
        same('consultationCounter', c, 2000 + (num % 100));
        same('meeting', c, a);
        same('agendaItem', c, a, b);
        same('minutes', c, a);
        same('minutesVersion', c, a, num);
        same('minutesExport', c, a, b);
        same('meetingCounter', c, 2000 + (num % 100));
        same('openRound', time.slice(0, 10), c, a, b);
        same('consultationByBusiness', c, d, time);
        same('followUp', c, a, b);
        same('activeFollowUp', c, a, b, time.slice(0, 10));
        same('answer', c, a);
        same('consultationByStatus', c, 'screening', time);
        same('audit', c, a, time, b);
      }),
    );
  });

  it('gives every entity its own type name', () => {
    const types = ENTITIES.map((e) => e.type);
    expect(new Set(types).size).toBe(types.length);
  });

  it('lists each entity by a sort-key prefix no other entity of its partition starts with', () => {
    for (const [name, p] of Object.entries(patterns)) {
      if (p.kind !== 'query' || p.index) continue;
      const neighbours = ENTITIES.filter((e) => e !== p.entity && e.pk.toString() === p.partition.toString());
      for (const other of neighbours) expect(other.sk.prefix().startsWith(p.sortPrefix!), `${name} would list ${other.type} items`).toBe(false);
    }
  });

  it('recognises an item written before _type by the shape of its sort key', () => {
    const k = keys.consultation('sakura', 'k1');
    expect(consultation.owns({ ...k })).toBe(true);
    expect(entities.answer.owns({ ...k })).toBe(false);
    expect(entities.minutes.owns(keys.minutesVersion('sakura', 'm', 2))).toBe(false);
    expect(entities.minutesVersion.owns(keys.minutesVersion('sakura', 'm', 2))).toBe(true);
    expect(entities.answer.owns({ ...k, _type: 'answer' })).toBe(true);
  });
});

const draft = {
  councilId: 'sakura',
  consultationId: 'k1',
  departmentId: 'd1',
  form: { title: '住民票の写し等の交付事務の委託' },
  status: 'draft' as const,
  returns: 0,
  createdBy: 'u1',
  createdAt: '2026-05-01T00:00:00.000Z',
  updatedAt: '2026-05-01T00:00:00.000Z',
  version: 1,
};

describe('entity items', () => {
  it('are written with their type, version, key and every index whose parts are known', () => {
    const item = consultation.item({ councilId: 'sakura', consultationId: 'k1' }, draft);
    expect(item).toMatchObject({
      _type: 'consultation',
      _v: 3,
      ...keys.consultation('sakura', 'k1'),
      ...keys.consultationByStatus('sakura', 'draft', draft.updatedAt),
    });
    expect(item).toMatchObject(keys.consultationByDepartment('sakura', 'd1', draft.createdAt));
    expect(item['gsi3pk']).toMatch(/^C#sakura#BIZ#/);
    // The open-round index needs the round's deadline: an agenda item joins it when voting opens.
    const agenda = agendaItem.item(
      { councilId: 'sakura', meetingId: 'm1', itemId: 'i1' },
      { itemId: 'i1', kind: 'deliberation', order: 1, title: '議題', consultationIds: [] },
    );
    expect(Object.keys(agenda).filter((k) => k.startsWith('gsi'))).toEqual([]);
  });

  it('read back without keys, type or version; null is unset', () => {
    const item = { ...consultation.item({ councilId: 'sakura', consultationId: 'k1' }, draft), meetingId: null };
    expect(consultation.decode(item)).toEqual(draft);
  });

  it('read items from before _type and _v as version 1', () => {
    const legacyItem = { ...legacy.consultation('sakura', 'k1'), ...legacy.consultationByStatus('sakura', 'draft', draft.updatedAt), ...draft };
    expect(consultation.decode(legacyItem)).toEqual(draft);
  });

  it('refuse a malformed item loudly, naming the entity, its key and the field', () => {
    const item = { ...legacy.consultation('sakura', 'k1'), ...draft, status: 'lost', returns: 'none' };
    const read = () => consultation.decode(item);
    expect(read).toThrow(InvalidItemError);
    expect(read).toThrow(/stored consultation item \(pk=C#sakura#CASE#k1, sk=CASE\)/);
    expect(read).toThrow(/status/);
    expect(read).toThrow(/returns/);
  });

  it('refuse an item of another type under the key, or of a version this code does not know', () => {
    expect(() => consultation.decode({ ...legacy.consultation('sakura', 'k1'), ...draft, _type: 'answer' })).toThrow(
      /consultation item .* is marked as a answer/,
    );
    expect(() => consultation.decode({ ...legacy.consultation('sakura', 'k1'), ...draft, _v: 4 })).toThrow(/has version 4; this code reads versions 1 to 3/);
  });

  it('upgrade older versions on read through the entity’s upgrade steps', () => {
    const note = defineEntity<{ id: string; text: string }>()({
      type: 'note',
      version: 2,
      doc: 'test',
      schema: () => z.looseObject({ id: z.string(), text: z.string() }),
      pk: key`N#${'id'}`,
      sk: key`NOTE`,
      // Version 1 called the field `body`.
      upgrade: { 1: ({ body, ...rest }) => ({ ...rest, text: body }) },
    });
    expect(note.decode({ pk: 'N#a', sk: 'NOTE', id: 'a', body: 'old' })).toEqual({ id: 'a', text: 'old' });
    expect(note.decode({ pk: 'N#a', sk: 'NOTE', id: 'a', text: 'new', _type: 'note', _v: 2 })).toEqual({ id: 'a', text: 'new' });
    expect(() =>
      defineEntity<{ id: string }>()({ type: 'x', version: 2, doc: '', schema: () => z.looseObject({ id: z.string() }), pk: key`X`, sk: key`X` }),
    ).toThrow(/no upgrade from version 1/);
  });

  it('build an entity’s schema on its first read, once (a cold function builds only what it reads)', () => {
    let builds = 0;
    const note = defineEntity<{ id: string }>()({
      type: 'note',
      version: 1,
      doc: 'test',
      schema: () => {
        builds++;
        return z.looseObject({ id: z.string() });
      },
      pk: key`N#${'id'}`,
      sk: key`NOTE`,
    });
    expect(note.item({ id: 'a' }, { id: 'a' })).toMatchObject({ pk: 'N#a', sk: 'NOTE', _type: 'note' });
    expect(builds).toBe(0);
    expect(note.decode({ pk: 'N#a', sk: 'NOTE', id: 'a' })).toEqual({ id: 'a' });
    expect(() => note.decode({ pk: 'N#b', sk: 'NOTE', id: 7 })).toThrow(/does not match its schema/);
    expect(builds).toBe(1);
  });

  it('keep what the reminder job needs from an agenda item on the open-rounds index', () => {
    const item = {
      ...legacy.agendaItem('sakura', 'm1', 'i1'),
      ...legacy.openRound('2026-06-01', 'sakura', 'm1', 'i1'),
      itemId: 'i1',
      kind: 'deliberation',
      order: 1,
      title: 't',
      consultationIds: [],
      roundOf: { councilId: 'sakura', meetingId: 'm1' },
    };
    expect(agendaItem.decode(item)).toMatchObject({ roundOf: { councilId: 'sakura', meetingId: 'm1' } });
  });

  it('derive index keys from the value and the entity definition alone', () => {
    expect(council.index('registry').gsi).toBe(GSI1);
    expect(followUp.index('activeInCouncil').keys({ councilId: 'c', consultationId: 'k', followUpId: 'f', due: '2026-01-01' })).toEqual({
      gsi2pk: 'C#c#FOLLOWUPS',
      gsi2sk: '2026-01-01#k#f',
    });
  });
});

describe('the repositories', () => {
  const dir = 'shared/adapters';
  const sources = readdirSync(dir)
    .filter((f) => f.endsWith('-repository.ts') || f === 'sequence.ts')
    .map((f) => [f, readFileSync(`${dir}/${f}`, 'utf8')] as const);

  it('spell no key, index, expression or SDK exception themselves: the entity layer does', () => {
    expect(sources.length).toBeGreaterThanOrEqual(7);
    for (const [file, text] of sources) {
      for (const banned of [
        /KeyConditionExpression/,
        /ConditionExpression/,
        /UpdateExpression/,
        /ConditionalCheckFailedException/,
        /\bgsi\d/,
        /'[A-Z_]+#/,
        /`[A-Z_]+#/,
        /new (Get|Put|Update|Query)Command/,
      ]) {
        expect(text, `${file} contains ${banned}`).not.toMatch(banned);
      }
      // Exactly one way to handle a failed condition: through the Store's guard, never a try/catch.
      expect(text, `${file} catches an error`).not.toMatch(/\bcatch\s*\(/);
    }
  });
});
