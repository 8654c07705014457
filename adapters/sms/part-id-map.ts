/**
 * Remembers, for recently sent messages, which SMSC message id each part got and the id Vestnik
 * reports for the whole message (the first part's), so a delivery receipt for any part maps back.
 * In memory and bounded (oldest entries go first): receipts for parts of messages sent before a
 * restart, or more than `capacity` parts ago, report the part's own id.
 */
export class PartIdMap {
  private readonly entries = new Map<string, string>();

  constructor(private readonly capacity = 50_000) {}

  link(partId: string, messageId: string): void {
    this.entries.delete(partId);
    this.entries.set(partId, messageId);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  /**
   * The message id for a receipted id. SMSCs that answer submit_sm with a hexadecimal id often put
   * it in decimal in the receipt text, so a decimal id is also looked up in hexadecimal.
   */
  resolve(receiptedId: string): string {
    const direct = this.entries.get(receiptedId);
    if (direct) return direct;
    if (/^\d{1,20}$/.test(receiptedId)) {
      const hex = BigInt(receiptedId).toString(16);
      return this.entries.get(hex) ?? this.entries.get(hex.toUpperCase()) ?? receiptedId;
    }
    return receiptedId;
  }
}
