import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ChannelKind } from '../../adapters/contract';
import {
  causeMessage,
  FlowSourceInvalid,
  type FlowSourceProblem,
  formatProblem,
  loadFlowFile,
  wholeFileProblem,
} from '../declarative';
import type { TextPosition } from '../declarative/yaml-problems';
import type { BotFlow } from '../engine';
import type { ChatReplyTo } from './chat-session';
import {
  defaultTranscriptNow,
  type StepSource,
  type TranscriptSource,
  transcriptSchema,
} from './transcript-schema';
import { parseYamlSource, type YamlSource } from './yaml-source';

/** A transcript file that cannot run: not YAML, not the format, or its flow is invalid or missing. */
export class TranscriptInvalid extends Error {
  override readonly name = 'TranscriptInvalid';
  readonly code = 'transcript-invalid';

  constructor(
    readonly problems: readonly FlowSourceProblem[],
    options?: ErrorOptions,
  ) {
    super(problems.map(formatProblem).join('\n'), options);
  }
}

export interface TranscriptStep extends StepSource {
  /** 1-based position in its conversation. */
  index: number;
  line: number;
}

export interface TranscriptConversation {
  name: string;
  line: number;
  channel: ChannelKind;
  now: Date;
  replyTo: ChatReplyTo | null;
  steps: TranscriptStep[];
}

/** A validated transcript with its flow loaded. */
export interface Transcript {
  file: string;
  flowFile: string;
  flow: BotFlow;
  conversations: TranscriptConversation[];
}

/** Reads and validates a transcript file and loads its flow; throws `TranscriptInvalid` with every problem. */
export async function loadTranscript(file: string): Promise<Transcript> {
  const text = await readFile(file, 'utf8').catch((cause: unknown) => {
    throw new TranscriptInvalid([wholeFileProblem(file, `cannot read the file: ${causeMessage(cause)}`)], {
      cause,
    });
  });
  const parsed = parseYamlSource(text, file, transcriptSchema);
  if (!parsed.ok) throw new TranscriptInvalid(parsed.problems);
  const source = parsed.source;
  const flowFile = path.resolve(path.dirname(file), source.value.flow);
  const flow = await loadFlow(file, flowFile, source.position(['flow']));
  return { file, flowFile, flow, conversations: conversationsOf(source) };
}

async function loadFlow(file: string, flowFile: string, at: TextPosition): Promise<BotFlow> {
  try {
    return await loadFlowFile(flowFile);
  } catch (cause) {
    const problems =
      cause instanceof FlowSourceInvalid ? cause.problems : [wholeFileProblem(flowFile, causeMessage(cause))];
    throw new TranscriptInvalid(
      problems.map((problem) => atFlowKey(problem, file, at)),
      { cause },
    );
  }
}

/** A problem with the flow file as a whole (not found, not a flow module) is shown at the script's `flow:`. */
function atFlowKey(problem: FlowSourceProblem, file: string, at: TextPosition): FlowSourceProblem {
  if (problem.line !== null) return problem;
  return { file, path: 'flow', ...at, message: `${problem.file}: ${problem.message}` };
}

function conversationsOf(source: YamlSource<TranscriptSource>): TranscriptConversation[] {
  const { value } = source;
  return value.conversations.map((conversation, index) => ({
    name: conversation.name,
    line: source.position(['conversations', index]).line,
    channel: conversation.channel ?? value.channel,
    now: new Date(conversation.now ?? value.now ?? defaultTranscriptNow),
    replyTo: conversation.replyTo ?? null,
    steps: conversation.steps.map((step, stepIndex) => ({
      ...step,
      index: stepIndex + 1,
      line: source.position(['conversations', index, 'steps', stepIndex]).line,
    })),
  }));
}
