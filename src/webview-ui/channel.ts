import { isExtensionMessage, type ExtensionMessage, type WebviewMessage } from '../webviews/protocol';

/** The API the webview host injects; typed here because it is not part of the DOM library. */
interface WebviewApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): WebviewApi;

/** The page's end of the protocol: typed sends, checked receipts, request ids, and saved page state. */
export class Channel {
  private readonly api: WebviewApi = acquireVsCodeApi();
  private lastRequestId = 0;

  listen(handler: (message: ExtensionMessage) => void): void {
    window.addEventListener('message', (event: MessageEvent<unknown>) => {
      if (!isExtensionMessage(event.data)) {
        console.warn('Entra ID webview: ignored a malformed message.');
        return;
      }
      handler(event.data);
    });
  }

  send(message: WebviewMessage): void {
    this.api.postMessage(message);
  }

  nextRequestId(): number {
    this.lastRequestId = (this.lastRequestId + 1) % 2 ** 31;
    return this.lastRequestId;
  }

  /** Page state survives the page being hidden and rebuilt; it comes back unchecked, so callers check it. */
  savedState(): unknown {
    return this.api.getState();
  }

  saveState(state: unknown): void {
    this.api.setState(state);
  }
}
