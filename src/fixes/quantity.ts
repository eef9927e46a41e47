const QUANTITY = /^([0-9]+(?:\.[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;

/** Multiplies a Kubernetes memory quantity, keeping its unit: 128Mi × 2 = 256Mi. Undefined when it cannot be read. */
export function multiplyQuantity(quantity: string | number, factor: number): string | number | undefined {
  if (typeof quantity === "number") return Number.isFinite(quantity) ? Math.round(quantity * factor) : undefined;
  const match = QUANTITY.exec(quantity.trim());
  if (!match) return undefined;
  const value = Number.parseFloat(match[1] as string) * factor;
  const digits = Number.isInteger(value) ? String(value) : String(Number(value.toFixed(3)));
  return `${digits}${match[2] ?? ""}`;
}
