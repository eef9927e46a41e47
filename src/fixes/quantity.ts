const QUANTITY = /^([0-9]+(?:\.[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;

/** Multiplies a Kubernetes memory quantity, keeping its unit: 128Mi × 2 = 256Mi. Undefined when it cannot be read. */
export function multiplyQuantity(quantity: string | number, factor: number): string | number | undefined {
  if (typeof quantity === "number") return Number.isFinite(quantity) ? Math.round(quantity * factor) : undefined;
  const match = QUANTITY.exec(quantity.trim());
  if (!match) return undefined;
  const value = Number.parseFloat(match[1] as string) * factor;
  // Round up: a limit must never come out below the request it was computed from.
  const digits = Number.isInteger(value) ? String(value) : String(Math.ceil(value * 1000) / 1000);
  return `${digits}${match[2] ?? ""}`;
}

const SUFFIX_FACTORS: Record<string, number> = {
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
const ANY_QUANTITY = /^([0-9]+(?:\.[0-9]+)?)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;

/** A Kubernetes quantity in base units (cores, bytes), to compare two of them. Undefined when it cannot be read. */
export function quantityValue(quantity: string | number): number | undefined {
  if (typeof quantity === "number") return Number.isFinite(quantity) ? quantity : undefined;
  const match = ANY_QUANTITY.exec(quantity.trim());
  if (!match) return undefined;
  return Number.parseFloat(match[1] as string) * (match[2] ? (SUFFIX_FACTORS[match[2]] ?? 1) : 1);
}
