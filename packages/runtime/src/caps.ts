/**
 * Capability references as the stubs see them. Capabilities never travel inside lines: a channel
 * carries them out of band (see `Channel.send`). Until the monitor exists the runtime moves them only
 * between bindings of the same thread; across threads it refuses with CAP_TRANSFER.
 */
export class CapRef {
  /** A human-readable description, for logs and errors. */
  readonly description: string;
  constructor(description: string) {
    this.description = description;
  }
}
