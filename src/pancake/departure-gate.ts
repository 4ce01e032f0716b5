import type { Dispatcher } from 'undici';

/** Dispatch options with a departure gate (set by PancakeHttp.send from its `gate` option). */
export interface GatedDispatchOptions extends Dispatcher.DispatchOptions {
  departureGate?: () => boolean;
}

/** The gate refused: the request was dropped before any byte of it was written. */
export class DepartureRefusedError extends Error {
  override name = 'DepartureRefusedError';
  constructor() {
    super('request not sent: it could no longer leave in its rate-limit slot');
  }
}

/**
 * An undici interceptor that asks the request's departureGate at the last synchronous
 * point before the request is written: undici calls onRequestStart (the legacy
 * onConnect) from its HTTP/1.1 writer once a connection is ready for this request, and
 * writes the request line, headers and body in the same synchronous run. Anything that
 * delays a request after it was handed to undici (waiting for a connection, a connect,
 * the idle-socket check undici makes before reusing a keep-alive socket, which runs a
 * macrotask later, an event-loop stall meanwhile) therefore happens before the gate.
 *
 * A refusal throws from onRequestStart: undici catches it in the writer and fails the
 * request with DepartureRefusedError without writing, and keeps the socket (a
 * controller.abort() here would destroy it, so every refusal would cost a new
 * connection). Only the first start is gated: undici may start a request again after
 * a connection failed with it in the pipeline, and that request may have been
 * written, so a refusal then could not honestly say "not sent".
 */
export function departureGate(): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (options, handler) => {
    const gate = (options as GatedDispatchOptions).departureGate;
    return dispatch(options, gate ? new GatedHandler(gate, handler) : handler);
  };
}

class GatedHandler implements Dispatcher.DispatchHandler {
  private started = false;

  constructor(
    private readonly gate: () => boolean,
    private readonly handler: Dispatcher.DispatchHandler,
  ) {}

  onRequestStart(controller: Dispatcher.DispatchController, context: unknown): void {
    if (!this.started) {
      this.started = true;
      if (!this.gate()) throw new DepartureRefusedError();
    }
    this.handler.onRequestStart?.(controller, context);
  }

  onRequestUpgrade(
    ...args: Parameters<NonNullable<Dispatcher.DispatchHandler['onRequestUpgrade']>>
  ): void {
    this.handler.onRequestUpgrade?.(...args);
  }

  onResponseStart(
    ...args: Parameters<NonNullable<Dispatcher.DispatchHandler['onResponseStart']>>
  ): void {
    this.handler.onResponseStart?.(...args);
  }

  onResponseData(
    ...args: Parameters<NonNullable<Dispatcher.DispatchHandler['onResponseData']>>
  ): void {
    this.handler.onResponseData?.(...args);
  }

  onResponseEnd(
    ...args: Parameters<NonNullable<Dispatcher.DispatchHandler['onResponseEnd']>>
  ): void {
    this.handler.onResponseEnd?.(...args);
  }

  onResponseError(
    ...args: Parameters<NonNullable<Dispatcher.DispatchHandler['onResponseError']>>
  ): void {
    this.handler.onResponseError?.(...args);
  }
}
