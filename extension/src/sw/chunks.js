// Reassembles host-to-browser messages the relay split to stay under Chrome's 1 MiB limit
// (see host/swarmbridge/protocol/chunking.py). Callers never see chunks.
export class ChunkError extends Error {}

export class Reassembler {
  constructor(maxStreams = 64) {
    this.streams = new Map();
    this.max = maxStreams;
  }

  // Returns the whole body (a string) when the last chunk arrives, else null.
  feed(msg) {
    const { cid, seq, total, data } = msg || {};
    if (typeof cid !== "string" || !Number.isInteger(seq) || !Number.isInteger(total) || typeof data !== "string") {
      throw new ChunkError("chunk fields missing or of the wrong type");
    }
    if (total < 1 || seq < 0 || seq >= total) throw new ChunkError(`chunk ${seq} of ${total} is out of range`);
    let parts = this.streams.get(cid);
    if (!parts) {
      if (this.streams.size >= this.max) throw new ChunkError("too many chunk streams in flight");
      parts = new Array(total).fill(null);
      this.streams.set(cid, parts);
    }
    if (parts.length !== total) throw new ChunkError("chunk total changed mid-stream");
    parts[seq] = data;
    if (parts.some((p) => p === null)) return null;
    this.streams.delete(cid);
    return parts.join("");
  }

  clear() {
    this.streams.clear();
  }
}
