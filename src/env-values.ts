import { StructregError } from "./core/errors.js";

/** Environment variables as read by the config loaders. */
export type Env = Record<string, string | undefined>;

/** A value, trimmed; undefined when unset or blank. */
export function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

/** An integer variable within [min, max], or `fallback` when unset; SR_CONFIG_INVALID otherwise. */
export function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max)
    throw invalid(name, raw, `an integer from ${min} to ${max}`);
  return value;
}

/** The SR_CONFIG_INVALID error naming the variable at fault. */
export function invalid(name: string, value: string, expected: string): StructregError {
  return new StructregError("SR_CONFIG_INVALID", `${name}=${value} is invalid: expected ${expected}`, {
    hint: `fix or unset ${name}`,
  });
}
