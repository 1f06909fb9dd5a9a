// Webcam snapshots (docs/PROTOCOL.md §5): while the candidate sits, a still from the camera every
// `snapshotIntervalSeconds` (from `welcome.proctoring`) is uploaded as a JPEG. A refused camera or
// none at all is reported once as a proctoring event (camera_denied / camera_missing) and the
// sitting goes on; the invigilators see it. The candidate sees a small live preview, so they know.
import { ApiError } from './api.js';

const WIDTH = 320;
const HEIGHT = 240;
const FIRST_AFTER_MS = 3000;

export class SitCamera {
  /**
   * `options`: {sitting, token, record(kind, detail), onState(state) — 'off' | 'asking' | 'on' | 'denied' | 'missing'}.
   */
  constructor(options) {
    this.options = options;
    this.state = 'off';
    this.stream = null;
    this.timer = null;
    this.video = null;
    this.intervalMs = 60000;
    this.maxBytes = 512 * 1024;
    this.stopped = false;
  }

  setState(state) {
    this.state = state;
    if (this.options.onState) this.options.onState(state);
  }

  /** Starts (once) with the server's policy; later calls only update the interval. */
  async start(policy) {
    if (policy && Number(policy.snapshotIntervalSeconds) > 0) this.intervalMs = Number(policy.snapshotIntervalSeconds) * 1000;
    if (policy && Number(policy.snapshotMaxBytes) > 0) this.maxBytes = Number(policy.snapshotMaxBytes);
    if (this.state !== 'off' || this.stopped) return;
    const devices = navigator.mediaDevices;
    if (!devices || typeof devices.getUserMedia !== 'function') {
      this.setState('missing');
      this.options.record('camera_missing', 'no camera API in this browser');
      return;
    }
    this.setState('asking');
    try {
      this.stream = await devices.getUserMedia({ video: { width: { ideal: WIDTH }, height: { ideal: HEIGHT } }, audio: false });
    } catch (error) {
      const name = error && error.name;
      const denied = name === 'NotAllowedError' || name === 'SecurityError';
      this.setState(denied ? 'denied' : 'missing');
      this.options.record(denied ? 'camera_denied' : 'camera_missing', String(name || 'error'));
      return;
    }
    if (this.stopped) {
      this.release();
      return;
    }
    this.video = document.createElement('video');
    this.video.muted = true;
    this.video.playsInline = true;
    this.video.srcObject = this.stream;
    try {
      await this.video.play();
    } catch {
      // A preview that does not play still gives frames once metadata is in.
    }
    this.setState('on');
    this.schedule(FIRST_AFTER_MS);
  }

  /** The live stream, for a preview element. */
  get mediaStream() {
    return this.stream;
  }

  schedule(delay) {
    window.clearTimeout(this.timer);
    if (this.stopped) return;
    this.timer = window.setTimeout(() => this.capture(), delay);
  }

  async capture() {
    if (this.stopped || !this.video) return;
    try {
      const blob = await this.frame();
      if (blob && blob.size <= this.maxBytes) await this.upload(blob);
    } catch (error) {
      // A refusal that means "no longer sitting" ends the snapshots; anything else is retried next time.
      if (error instanceof ApiError && (error.code === 'not_sitting' || error.status === 401 || error.status === 404)) {
        this.stop();
        return;
      }
    }
    this.schedule(this.intervalMs);
  }

  frame() {
    const canvas = document.createElement('canvas');
    canvas.width = WIDTH;
    canvas.height = HEIGHT;
    const context = canvas.getContext('2d');
    context.drawImage(this.video, 0, 0, WIDTH, HEIGHT);
    return new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.7));
  }

  async upload(blob) {
    const response = await fetch(`/api/v1/sit/${encodeURIComponent(this.options.sitting)}/snapshot`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${this.options.token}`, 'Content-Type': 'image/jpeg', Accept: 'application/json' },
      body: blob,
      credentials: 'omit',
      cache: 'no-store',
    });
    if (!response.ok) {
      let code = `http_${response.status}`;
      try {
        const data = await response.json();
        if (data && data.error && typeof data.error.code === 'string') code = data.error.code;
      } catch {
        // not JSON
      }
      throw new ApiError(response.status, code, response.statusText);
    }
  }

  release() {
    if (this.stream) for (const track of this.stream.getTracks()) track.stop();
    this.stream = null;
  }

  /** Stops for good (hand-in, sign-out): no more snapshots, the camera light goes off. */
  stop() {
    this.stopped = true;
    window.clearTimeout(this.timer);
    this.release();
    this.video = null;
    if (this.state === 'on' || this.state === 'asking') this.setState('off');
  }
}
