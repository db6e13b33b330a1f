/**
 * The 24-character code of the national investment project online approval
 * platform (GB/T 40058-2021), written `YYYY-RRRRRR-DD-TT-SSSSSS`: year (or
 * year-month), 6-digit region, 2-digit department, 2-digit type, and a
 * 6-character serial whose last character is the check character.
 */
export const PROJECT_CODE_PATTERN = /^\d{4}-\d{6}-\d{2}-\d{2}-\d{5}[0-9A-Z]$/;

export function isProjectCode(code: string): boolean {
  return typeof code === 'string' && code.length === 24 && PROJECT_CODE_PATTERN.test(code);
}
