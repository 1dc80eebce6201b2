/**
 * The one error selector parsing throws. Its `message` is upstream's text exactly (what the API
 * server puts in a 400 BadRequest Status); `causes` holds the field errors when the failure came
 * from requirement validation (empty for pure syntax errors).
 */
import type { FieldError } from '../../errors/index.ts';

/** A label or field selector that cannot be parsed or fails validation. */
export class SelectorParseError extends Error {
  readonly causes: readonly FieldError[];

  constructor(message: string, causes: readonly FieldError[] = []) {
    super(message);
    this.name = 'SelectorParseError';
    this.causes = causes;
  }
}

/** Upstream `field.Error.Error()`: `<path>: <detail>`; a nil path prints as `<nil>`. */
export function fieldErrorText(err: FieldError): string {
  return `${err.field === '' ? '<nil>' : err.field}: ${err.detail}`;
}

/** Upstream `ErrorList.ToAggregate().Error()`: one message, or `[a, b]` for several. */
export function aggregateText(errors: readonly FieldError[]): string {
  const texts = errors.map(fieldErrorText);
  return texts.length === 1 ? texts[0] : `[${texts.join(', ')}]`;
}
