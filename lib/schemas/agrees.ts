/**
 * A compile-time check that a schema's parsed type and the plain domain type it stands for are
 * the same (each assignable to the other): `agrees<z.output<typeof s>, DomainType>()` fails to
 * type-check when one side gains, loses or changes a field. It does nothing at run time.
 */
export function agrees<Parsed, Domain>(..._sameType: [Parsed] extends [Domain] ? ([Domain] extends [Parsed] ? [] : [never]) : [never]): void {}
