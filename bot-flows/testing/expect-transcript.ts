import { formatReport } from './format-report';
import { runTranscriptFile, type TranscriptReport } from './run-transcript';

/**
 * Runs a transcript file for a test framework: resolves with the report when every conversation
 * passed, otherwise rejects with an Error whose message is the formatted failures (file:line of
 * the failed step and the diff). An invalid script or flow rejects with `TranscriptInvalid`.
 *
 * ```ts
 * test('shop FAQ', () => expectTranscript('bot-flows/examples/shop-faq.transcript.yaml'));
 * ```
 */
export async function expectTranscript(file: string): Promise<TranscriptReport> {
  const report = await runTranscriptFile(file);
  if (!report.passed) throw new Error(formatReport(report, { color: false, failuresOnly: true }));
  return report;
}
