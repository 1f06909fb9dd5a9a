// The candidate's outbox (docs/PROTOCOL.md §4): every change (save, flag, hand-in, proctoring
// event) gets the next sequence number and is kept here until the server acknowledges it (or
// refuses it with an error naming its seq). The counter lives with the entries, in IndexedDB, so
// seq keeps increasing across reloads and reconnections.
//
// One database per sitting and seat ("assay-sit-<sitting>-<room>-<seat>"): object store `queue`
// (key: seq) and `meta` (the counter). An entry is only handed to the socket after its transaction
// has committed, so anything the server may have seen is also on disk: after a reload the counter
// is never behind a seq the server applied. Where IndexedDB cannot be opened (storage disabled),
// the queue lives in memory for this page only and says so (`durable` is false).

const VERSION = 1;
const QUEUE = 'queue';
const META = 'meta';
const COUNTER = 'seq';

function promised(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function committed(transaction) {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error || new Error('transaction aborted'));
  });
}

function openDatabase(name) {
  return new Promise((resolve, reject) => {
    if (!('indexedDB' in window) || !window.indexedDB) {
      reject(new Error('IndexedDB unavailable'));
      return;
    }
    const request = window.indexedDB.open(name, VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains(QUEUE)) db.createObjectStore(QUEUE, { keyPath: 'seq' });
      if (!db.objectStoreNames.contains(META)) db.createObjectStore(META);
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
    request.onblocked = () => reject(new Error('IndexedDB blocked'));
  });
}

/** The database name of a candidate's queue for a sitting. */
export function queueName(sitting, room, seat) {
  return `assay-sit-${sitting}-${room}-${seat}`;
}

/**
 * The persistent outbox. Reads (`entries`, `size`, `counter`) are synchronous from a memory
 * mirror; writes go through one promise chain, so seqs are given out in call order and entries
 * commit in seq order.
 */
export class ChangeQueue {
  constructor(db) {
    this.db = db;
    this.durable = Boolean(db);
    /** seq → message, mirrored from the store. */
    this.items = new Map();
    this.counter = 0;
    /** Entries given a seq but not yet committed: seq → message. */
    this.writing = new Map();
    this.chain = Promise.resolve();
  }

  /** Opens (or creates) the queue; falls back to memory when IndexedDB is unavailable. */
  static async open(name) {
    let db = null;
    try {
      db = await openDatabase(name);
    } catch {
      db = null;
    }
    const queue = new ChangeQueue(db);
    if (db) {
      const transaction = db.transaction([QUEUE, META], 'readonly');
      const [entries, counter] = await Promise.all([
        promised(transaction.objectStore(QUEUE).getAll()),
        promised(transaction.objectStore(META).get(COUNTER)),
      ]);
      for (const entry of entries) queue.items.set(entry.seq, entry);
      queue.counter = Math.max(Number(counter) || 0, ...entries.map((entry) => entry.seq), 0);
    }
    return queue;
  }

  /** Queued messages in seq order. */
  entries() {
    return [...this.items.values()].sort((a, b) => a.seq - b.seq);
  }

  /** Every change not yet acknowledged, those still being written included, in seq order. */
  all() {
    return [...this.items.values(), ...this.writing.values()].sort((a, b) => a.seq - b.seq);
  }

  /** Entries waiting for the server, those still being written included. */
  get size() {
    return this.items.size + this.writing.size;
  }

  has(seq) {
    return this.items.has(seq);
  }

  get(seq) {
    return this.items.get(seq);
  }

  /** Serialises a write after every earlier one. A failed write is not fatal: memory stays right. */
  run(work) {
    const next = this.chain.then(work).catch(() => undefined);
    this.chain = next;
    return next;
  }

  /**
   * Gives `message` (without seq) the next sequence number, stores it, and resolves with the full
   * message once it is durable.
   */
  add(message) {
    this.counter += 1;
    const entry = { ...message, seq: this.counter };
    const counter = this.counter;
    this.writing.set(entry.seq, entry);
    return this.run(async () => {
      try {
        if (this.db) {
          try {
            const transaction = this.db.transaction([QUEUE, META], 'readwrite');
            transaction.objectStore(QUEUE).put(entry);
            transaction.objectStore(META).put(counter, COUNTER);
            await committed(transaction);
          } catch {
            // Storage full or gone: the change still goes to the server, but only memory holds it.
            this.durable = false;
          }
        }
        // Visible to `entries()` (and so to a resend) only once durable.
        if (this.writing.delete(entry.seq)) this.items.set(entry.seq, entry);
        return entry;
      } finally {
        this.writing.delete(entry.seq);
      }
    });
  }

  /** Drops one seq (acknowledged or refused). */
  remove(seq) {
    if (!this.items.delete(seq)) return Promise.resolve();
    return this.run(async () => {
      if (!this.db) return;
      const transaction = this.db.transaction(QUEUE, 'readwrite');
      transaction.objectStore(QUEUE).delete(seq);
      await committed(transaction);
    });
  }

  /**
   * After a `welcome`: drops every entry the server has already applied (seq ≤ lastSeq) and moves
   * the counter past lastSeq (another device may have used those numbers).
   */
  settle(lastSeq) {
    const applied = [...this.items.keys()].filter((seq) => seq <= lastSeq);
    for (const seq of applied) this.items.delete(seq);
    if (lastSeq > this.counter) this.counter = lastSeq;
    const counter = this.counter;
    return this.run(async () => {
      if (!this.db) return;
      const transaction = this.db.transaction([QUEUE, META], 'readwrite');
      const store = transaction.objectStore(QUEUE);
      for (const seq of applied) store.delete(seq);
      transaction.objectStore(META).put(counter, COUNTER);
      await committed(transaction);
    });
  }

  /** Empties the queue (after hand-in nothing more can be applied); keeps the counter. */
  clear() {
    this.items.clear();
    this.writing.clear();
    return this.run(async () => {
      if (!this.db) return;
      const transaction = this.db.transaction(QUEUE, 'readwrite');
      transaction.objectStore(QUEUE).clear();
      await committed(transaction);
    });
  }
}
