export { type ButtonCapabilities, buttonCapabilities } from './channel-buttons';
export {
  ButtonNotOffered,
  type ChatReplyTo,
  type ChatSession,
  type ChatSessionOptions,
  type ChatState,
  type ChatTurn,
  createChatSession,
  type OfferedButton,
  type PressTarget,
  type ShownReply,
  showReply,
} from './chat-session';
export type { StepActual, StepExpected } from './check-step';
export { expectTranscript } from './expect-transcript';
export { type FormatOptions, formatReport, painter } from './format-report';
export {
  loadTranscript,
  type Transcript,
  type TranscriptConversation,
  TranscriptInvalid,
  type TranscriptStep,
} from './load-transcript';
export {
  type ConversationReport,
  runTranscript,
  runTranscriptFile,
  type StepReport,
  type TranscriptReport,
} from './run-transcript';
export { defaultTranscriptNow, instantSchema, transcriptSchema } from './transcript-schema';
