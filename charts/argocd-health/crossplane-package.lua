-- Health of a Crossplane package (Provider, Function, Configuration): Healthy once installed and
-- healthy; Progressing while it unpacks or while Crossplane does not yet know its revision's
-- health; Degraded when Crossplane reports the package unhealthy.
-- Crossplane v2.2 (apis/pkg/v1/conditions.go, PackageHealth) reports Healthy=False with reason
-- UnhealthyPackageRevision both for a failing revision and for one whose health is still unknown;
-- only the message tells them apart: 'Package revision health is "Unknown"' (or "runtime").
-- Argo CD runs this without Lua's string library: a prefix test is two string comparisons.
local hs = { status = "Progressing", message = "waiting for the package to install" }
local function startsWith(s, prefix)
  return s ~= nil and s >= prefix and s < prefix .. "\127"
end
local function unknown(message)
  return startsWith(message, 'Package revision health is "Unknown"') or startsWith(message, 'Package runtime health is "Unknown"')
end
if obj.status == nil or obj.status.conditions == nil then
  return hs
end
local installed, healthy
for _, c in ipairs(obj.status.conditions) do
  if c.type == "Installed" then installed = c end
  if c.type == "Healthy" then healthy = c end
end
if healthy ~= nil and healthy.status == "False" and not unknown(healthy.message) then
  hs.status = "Degraded"
  hs.message = healthy.message or healthy.reason
  return hs
end
if installed ~= nil and installed.status == "True" and healthy ~= nil and healthy.status == "True" then
  hs.status = "Healthy"
  hs.message = "installed and healthy"
  return hs
end
if healthy ~= nil and healthy.status ~= "True" and healthy.message ~= nil then
  hs.message = healthy.message
elseif installed ~= nil and installed.status == "False" then
  hs.message = installed.message or installed.reason or hs.message
end
return hs
