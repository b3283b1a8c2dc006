// Chooses where the network trains, and loads only the module that trains there:
// - WebGPU, when the browser offers an adapter and a device (in a worker, through
//   WorkerNavigator.gpu): the burn engine (flow-web-engine), with our fused CubeCL step;
// - otherwise the CPU: the fused CPU step, which the small math module (flow-web-math) carries, so
//   that a reader without WebGPU never downloads burn. `step=generic` asks for burn's own step on
//   the CPU (the reference), and so loads the burn engine there too.
// burn's wgpu initialisation panics (and kills the wasm instance) when there is no adapter, so we
// ask the browser first.

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

/** The burn engine module, instantiated: { Engine, memory }. */
async function burnEngine() {
  const { default: init, Engine } = await import('../../pkg/flow-web-engine.js');
  return { Engine, memory: (await init()).memory };
}

/** The math module's CPU engine, instantiated (from `compiled`, the page's compiled module, if given): { CpuEngine, memory }. */
async function cpuEngine(compiled) {
  const { default: init, CpuEngine } = await import('../../pkg/flow-web-math.js');
  return { CpuEngine, memory: (await init(compiled ? { module_or_path: compiled } : undefined)).memory };
}

/**
 * Returns { engine, memory, kind: 'webgpu' | 'cpu', label, software, note } where `note` explains a
 * fallback. `forceCpu` skips WebGPU (recovery after a lost device or a panic); `generic` trains
 * with burn's own step; `mathModule` is the math module as the page compiled it.
 */
export async function chooseBackend({ forceCpu = false, generic = false, mathModule = null } = {}) {
  const cpu = async (why) => {
    const note = why ? `${why}; training on the CPU instead.` : '';
    if (generic) {
      const { Engine, memory } = await burnEngine();
      return { engine: Engine.onCpu(), memory, kind: 'cpu', label: 'CPU · burn flex', software: false, note };
    }
    const { CpuEngine, memory } = await cpuEngine(mathModule);
    return { engine: CpuEngine.onCpu(), memory, kind: 'cpu', label: 'CPU · fused step', software: false, note };
  };
  if (forceCpu) return cpu('');
  const probe = await probeWebGpu();
  if (!probe.ok) return cpu(probe.why);
  let memory;
  try {
    const loaded = await burnEngine();
    memory = loaded.memory;
    const engine = await loaded.Engine.onWebGpu();
    return { engine, memory, kind: 'webgpu', software: probe.software, label: `WebGPU · ${probe.name}`, note: '' };
  } catch (e) {
    return cpu(`WebGPU could not be initialised (${e.message || e})`);
  }
}
