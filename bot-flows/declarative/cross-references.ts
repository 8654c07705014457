/**
 * Checks across a whole flow file: ids unique over FAQ entries, menus and collects (a `goto`
 * names one of them), every `goto` names one that exists, and the file has something to run.
 */
import { closest, distance } from 'fastest-levenshtein';
import type { z } from 'zod';
import { formatPath } from './problem-path';

type Path = (string | number)[];
interface Button {
  label: string;
  goto?: string | undefined;
}
interface WithButtons {
  buttons?: readonly Button[] | undefined;
}

/** The parts of a flow file these checks read. */
export interface ReferencingFile {
  greeting?: WithButtons | undefined;
  faq?: readonly (WithButtons & { id: string; goto?: string | undefined })[] | undefined;
  menus?: Readonly<Record<string, { options: readonly (Button & WithButtons)[] }>> | undefined;
  collect?: Readonly<Record<string, { then: WithButtons }>> | undefined;
  on?: readonly (WithButtons & { goto?: string | undefined })[] | undefined;
}

type Kind = 'faq' | 'menu' | 'collect';
interface Goto {
  target: string;
  path: Path;
  /** Kinds the target may be (a FAQ entry's own goto may not name another entry). */
  kinds: readonly Kind[];
}

const anyKind: readonly Kind[] = ['faq', 'menu', 'collect'];

/** Adds an issue for each duplicate id, dangling `goto` and for a file with nothing to run. */
export function checkCrossReferences(file: ReferencingFile, ctx: z.RefinementCtx): void {
  const blocks = [file.greeting, file.faq, file.menus, file.collect, file.on];
  if (blocks.every((block) => block === undefined))
    ctx.addIssue({
      code: 'custom',
      message: 'a flow needs at least one of greeting, faq, menus, collect, on',
    });
  const ids = collectIds(file, ctx);
  for (const { target, path, kinds } of gotosOf(file)) {
    const kind = ids.get(target)?.kind;
    if (kind && kinds.includes(kind)) continue;
    const message = kind
      ? `goto "${target}" names a FAQ entry; a FAQ entry's goto names a menu or a collect`
      : `goto "${target}" names no FAQ entry, menu or collect${suggestion(target, [...ids.keys()])}`;
    ctx.addIssue({ code: 'custom', message, path });
  }
}

function collectIds(file: ReferencingFile, ctx: z.RefinementCtx): Map<string, { kind: Kind; path: Path }> {
  const ids = new Map<string, { kind: Kind; path: Path }>();
  const add = (id: string, kind: Kind, path: Path) => {
    const first = ids.get(id);
    if (first)
      ctx.addIssue({
        code: 'custom',
        message: `id "${id}" is already used by ${formatPath(first.path)}`,
        path,
      });
    else ids.set(id, { kind, path });
  };
  file.faq?.forEach((entry, index) => {
    add(entry.id, 'faq', ['faq', index, 'id']);
  });
  for (const id of Object.keys(file.menus ?? {})) add(id, 'menu', ['menus', id]);
  for (const id of Object.keys(file.collect ?? {})) add(id, 'collect', ['collect', id]);
  return ids;
}

function gotosOf(file: ReferencingFile): Goto[] {
  const gotos: Goto[] = [...buttonGotos(file.greeting?.buttons, ['greeting'])];
  file.faq?.forEach((entry, index) => {
    if (entry.goto)
      gotos.push({ target: entry.goto, path: ['faq', index, 'goto'], kinds: ['menu', 'collect'] });
    gotos.push(...buttonGotos(entry.buttons, ['faq', index]));
  });
  for (const [id, menu] of Object.entries(file.menus ?? {}))
    menu.options.forEach((option, index) => {
      const path = ['menus', id, 'options', index];
      if (option.goto) gotos.push({ target: option.goto, path: [...path, 'goto'], kinds: anyKind });
      gotos.push(...buttonGotos(option.buttons, path));
    });
  for (const [id, spec] of Object.entries(file.collect ?? {}))
    gotos.push(...buttonGotos(spec.then.buttons, ['collect', id, 'then']));
  file.on?.forEach((reaction, index) => {
    if (reaction.goto) gotos.push({ target: reaction.goto, path: ['on', index, 'goto'], kinds: anyKind });
    gotos.push(...buttonGotos(reaction.buttons, ['on', index]));
  });
  return gotos;
}

function buttonGotos(buttons: readonly Button[] | undefined, owner: Path): Goto[] {
  return (buttons ?? []).flatMap((button, index) =>
    button.goto ? [{ target: button.goto, path: [...owner, 'buttons', index, 'goto'], kinds: anyKind }] : [],
  );
}

function suggestion(target: string, known: readonly string[]): string {
  if (known.length === 0) return '';
  const near = closest(target, [...known]);
  return distance(target, near) <= Math.max(2, Math.floor(target.length / 3))
    ? ` (did you mean "${near}"?)`
    : '';
}
