import { z } from 'zod';

/**
 * The schemas of what a person's browser sends outside /api: the desk's forms, the addresses and query strings a
 * person can type. They are zod, validated by the same compiler as the API (set once for the whole server in
 * server.ts), so a route's handler receives typed values and checks only the rules of the domain.
 *
 * Each field carries the Vietnamese label its form shows (`field`): a refusal names the field as the person reads it
 * ("Lý do rút bài"), never by its key ("reason"). See refusals.ts for the sentence.
 *
 * The bounds here are the door's: a browser's own form cannot exceed them (its inputs carry maxlength), so they only
 * refuse what no form of the desk sends. Where the domain has a finer rule (a title's length, a password's), the
 * bound here is at or above it, so an ordinary mistake comes back on the form with what the person typed.
 */
export const formLabels = z.registry<{ label: string }>();

/** A field with the label its form shows; the label is what a refusal calls it. */
export function field<T extends z.ZodType>(label: string, schema: T): T {
  formLabels.add(schema as z.ZodType, { label });
  return schema;
}

/** A text box or a select of free values, at most `max` characters; absent when the form did not send it. */
export const text = (label: string, max: number) => field(label, z.string().max(max).optional());

/** A text box every form of the route sends (possibly empty): absent means it is not the desk's form. */
export const requiredText = (label: string, max: number) => field(label, z.string().max(max));

/** One of a fixed set of values (a button's action, a radio choice); absent when the form did not send it. */
export const choice = <const T extends readonly [string, ...string[]]>(label: string, values: T) =>
  field(label, z.enum(values).optional());

/**
 * A checkbox list or a multiple select: urlencoded forms send one value as a string and several as an array, and
 * none at all when nothing is ticked. Always a list here, of at most `count` values of at most `max` characters.
 */
export const many = (label: string, count: number, max: number) =>
  field(
    label,
    z.preprocess(
      (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]),
      z.array(z.string().max(max)).max(count),
    ),
  );

/** A ticked checkbox sends its value ("co"); an unticked one sends nothing. */
export const tick = (label: string) => field(label, z.literal('co').optional());

/** A positive whole number in an address or a form ("/desk/bai-viet/12"). */
export const positiveId = (label: string) =>
  field(label, z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER));

/** A page number of a paged list ("?trang=2"); a person may type anything there, the paging reads what it can. */
export const pageNumber = text('Trang', 20);

/** A positive whole number a redirect puts in the address ("?luu=12"); absent when there is none. */
export const optionalId = (label: string) =>
  field(label, z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional());
