/**
 * CSV injection (formula injection) protection: a cell a spreadsheet would read as a formula —
 * one starting with `=`, `+`, `-`, `@`, a tab or a carriage return — gets a leading `'`, so it
 * opens as text (OWASP's advice). Phone numbers therefore read `'+7912…`.
 */
export function protectCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
