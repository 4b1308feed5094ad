// Which XRD and Composition an XR renders with, chosen from dist/ objects as Crossplane chooses.

/**
 * What rendering `xr` needs from the objects synth writes to dist/: its XRD and Composition, and
 * the EnvironmentConfigs functions may ask for. The Composition is chosen as Crossplane chooses
 * it (internal/controller/apiextensions/composite/api.go at the crank tag, TOOLS.crank: the XRD's
 * enforcedCompositionRef, else the XR's spec.crossplane.compositionRef, else the XRD's
 * defaultCompositionRef, else the one Composition of that type); where Crossplane would pick one
 * of several at random, this refuses instead.
 */
export function definitionsFor(xr: any, distObjects: readonly any[]): { xrd: any; composition: any; requiredResources: any[] } {
  const group = String(xr?.apiVersion ?? '').split('/')[0];
  const xrd = distObjects.find((o) => o.kind === 'CompositeResourceDefinition' && o.spec.group === group && o.spec.names.kind === xr?.kind);
  const candidates = distObjects.filter(
    (o) => o.kind === 'Composition' && o.spec.compositeTypeRef.apiVersion === xr?.apiVersion && o.spec.compositeTypeRef.kind === xr?.kind,
  );
  if (!xrd || !candidates.length) {
    const kinds = distObjects
      .filter((o) => o.kind === 'CompositeResourceDefinition')
      .map((o) => `${o.spec.group}/${o.spec.versions[0].name} ${o.spec.names.kind}`);
    throw new Error(`"${xr?.apiVersion}" "${xr?.kind}" is not a platform API: use one of ${kinds.join(', ')}`);
  }
  const names = candidates.map((c) => c.metadata.name);
  const ref: string | undefined =
    xrd.spec.enforcedCompositionRef?.name ?? xr?.spec?.crossplane?.compositionRef?.name ?? xrd.spec.defaultCompositionRef?.name;
  const composition = ref ? candidates.find((c) => c.metadata.name === ref) : candidates.length === 1 ? candidates[0] : undefined;
  if (!composition) {
    throw new Error(
      ref
        ? `${xr.kind} ${xr.metadata?.name}: Composition "${ref}" does not exist: use one of ${names.join(', ')}`
        : `${xr.kind} ${xr.metadata?.name}: ${names.length} Compositions (${names.join(', ')}) and no compositionRef or XRD defaultCompositionRef: Crossplane would pick one at random; name one`,
    );
  }
  return { xrd, composition, requiredResources: distObjects.filter((o) => o.kind === 'EnvironmentConfig') };
}
