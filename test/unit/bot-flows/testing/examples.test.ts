import { readdirSync } from 'node:fs';
import path from 'node:path';
import { expectTranscript } from '../../../../bot-flows/testing';

const examples = path.resolve(__dirname, '../../../../bot-flows/examples');
const transcripts = readdirSync(examples).filter((name) => name.endsWith('.transcript.yaml'));

describe('the example transcripts pass against the example flows', () => {
  test('there are transcripts for the shop FAQ and the bank follow-up', () => {
    expect(transcripts).toEqual(
      expect.arrayContaining(['shop-faq.transcript.yaml', 'bank-followup.transcript.yaml']),
    );
  });

  test.each(transcripts)('%s', async (name) => {
    const report = await expectTranscript(path.join(examples, name));
    expect(report.conversations.length).toBeGreaterThan(0);
  });
});
