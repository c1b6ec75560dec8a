// Keyboard shortcuts of the alarm queue. Pure, unit-tested.

export type ShortcutCommand = 'acknowledge' | 'next' | 'previous' | 'open' | 'close' | 'false-alarm' | 'note';

/** What the key handler needs to know about a keydown (a plain object, so it tests without a DOM). */
export interface KeyInfo {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  /** The event's target tag name ('INPUT', 'BUTTON', …). */
  targetTag?: string;
  /** The target is contentEditable. */
  targetEditable?: boolean;
  /** The target handles Enter itself (a button, a link, a focused camera tile). */
  targetInteractive?: boolean;
}

export const SHORTCUTS: readonly { keys: string; command: ShortcutCommand; label: string }[] = [
  { keys: 'J / ↓', command: 'next', label: 'Next incident' },
  { keys: 'K / ↑', command: 'previous', label: 'Previous incident' },
  { keys: 'Enter', command: 'open', label: 'Open it (camera and details)' },
  { keys: 'A', command: 'acknowledge', label: 'Acknowledge' },
  { keys: 'C', command: 'close', label: 'Close' },
  { keys: 'F', command: 'false-alarm', label: 'False alarm (with a note)' },
  { keys: 'N', command: 'note', label: 'Add a note' },
];

const TYPING_TAGS = new Set(['INPUT', 'TEXTAREA', 'SELECT']);

export function isTyping(info: KeyInfo): boolean {
  return Boolean(info.targetEditable) || (info.targetTag !== undefined && TYPING_TAGS.has(info.targetTag.toUpperCase()));
}

/** The command for a keydown, or null: never while typing, never with Ctrl, Cmd or Alt. */
export function shortcutFor(info: KeyInfo): ShortcutCommand | null {
  if (info.ctrlKey || info.metaKey || info.altKey) return null;
  if (isTyping(info)) return null;
  switch (info.key) {
    case 'a':
    case 'A':
      return 'acknowledge';
    case 'j':
    case 'J':
    case 'ArrowDown':
      return 'next';
    case 'k':
    case 'K':
    case 'ArrowUp':
      return 'previous';
    case 'Enter':
      return info.targetInteractive ? null : 'open';
    case 'c':
    case 'C':
      return 'close';
    case 'f':
    case 'F':
      return 'false-alarm';
    case 'n':
    case 'N':
      return 'note';
    default:
      return null;
  }
}

/** The help text of the shortcuts, one per line (the tooltip's title). */
export function shortcutHelp(): string {
  return SHORTCUTS.map((s) => `${s.keys}: ${s.label}`).join('\n');
}
