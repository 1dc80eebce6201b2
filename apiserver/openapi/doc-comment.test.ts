import { describe, expect, it } from 'vitest';
import { formatDocComment } from './doc-comment.ts';

describe('formatDocComment (upstream OpenAPI descriptions from Go doc comments)', () => {
  it('joins a paragraph with spaces and drops markers', () => {
    expect(formatDocComment(['Number of desired pods. This is a pointer to distinguish between explicit', 'zero and not specified. Defaults to 1.', '+optional'])).toBe(
      'Number of desired pods. This is a pointer to distinguish between explicit zero and not specified. Defaults to 1.',
    );
  });

  it('keeps paragraphs and sets indented lines on lines of their own', () => {
    const lines = [
      'StatefulSet represents a set of pods with consistent identities.',
      'Identities are defined as:',
      '  - Network: A single stable DNS and hostname.',
      '  - Storage: As many VolumeClaims as requested.',
      '',
      'The StatefulSet guarantees that a given network identity will always',
      'map to the same storage identity.',
    ];
    expect(formatDocComment(lines)).toBe(
      'StatefulSet represents a set of pods with consistent identities. Identities are defined as:\n  - Network: A single stable DNS and hostname.\n  - Storage: As many VolumeClaims as requested.\n\nThe StatefulSet guarantees that a given network identity will always map to the same storage identity.',
    );
    expect(formatDocComment(['If set, replica indices will be in the range:', '  [.spec.ordinals.start, .spec.ordinals.start + .spec.replicas).', 'If unset, defaults to 0.'])).toBe(
      'If set, replica indices will be in the range:\n  [.spec.ordinals.start, .spec.ordinals.start + .spec.replicas).\nIf unset, defaults to 0.',
    );
  });

  it('drops TODO lines and everything after ---', () => {
    expect(formatDocComment(['Visible text.', 'TODO: fix this', '---', 'Hidden.'])).toBe('Visible text.');
    expect(formatDocComment(['+genclient', '+k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object'])).toBe('');
  });
});
