// Chooses where the network trains: WebGPU when the browser offers an adapter and a device (in a
// worker, through WorkerNavigator.gpu), otherwise burn's CPU backend. burn's wgpu initialisation
// panics (and kills the wasm instance) when there is no adapter, so we ask the browser first.

async function probeWebGpu() {
  if (!('gpu' in navigator) || !navigator.gpu) return { ok: false, why: 'this browser has no WebGPU' };
  try {
    const adapter = await navigator.gpu.requestAdapter();
    if (!adapter) return { ok: false, why: 'WebGPU offers no adapter here' };
    const info = adapter.info || {};
    const name = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ') || 'unnamed adapter';
    const device = await adapter.requestDevice();
    device.destroy();
    // Software adapters (SwiftShader) are correct but slow: the page asks less of them.
    const software = Boolean(info.isFallbackAdapter || adapter.isFallbackAdapter || /swiftshader/i.test(name));
    return { ok: true, name, software };
  } catch (e) {
    return { ok: false, why: `WebGPU failed to start (${e && e.message ? e.message : e})` };
  }
}

/**
 * Returns { engine, kind: 'webgpu' | 'cpu', label, software, note } where `note` explains a fallback.
 * `forceCpu` skips WebGPU (recovery after a lost device).
 */
export async function chooseBackend(Engine, { forceCpu = false } = {}) {
  const cpu = (why) => ({
    engine: Engine.onCpu(),
    kind: 'cpu',
    label: 'CPU (burn flex)',
    software: false,
    note: why ? `${why}; training on the CPU instead.` : '',
  });
  if (forceCpu) return cpu('');
  const probe = await probeWebGpu();
  if (!probe.ok) return cpu(probe.why);
  try {
    const engine = await Engine.onWebGpu();
    return { engine, kind: 'webgpu', software: probe.software, label: `WebGPU · ${probe.name}`, note: '' };
  } catch (e) {
    return cpu(`WebGPU could not be initialised (${e.message || e})`);
  }
}
