// Lets a worker's event loop deliver waiting messages between slices of work. A MessageChannel
// round trip is a task like setTimeout(0), without the 4 ms clamp that nested timeouts get.

const channel = new MessageChannel();
const waiting = [];
channel.port1.onmessage = () => waiting.shift()?.();

export function yieldToMessages() {
  return new Promise((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(null);
  });
}
