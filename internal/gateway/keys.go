package gateway

// Keys returns the platform keyring the service seals secrets under, or the
// refusal gateway.keyring_missing when none is set yet. Other packages that
// keep secrets at rest (the providers' upstream services) seal them under
// the same master key, so that one key is managed, rotated and backed up.
func (s *Service) Keys() (*Keyring, error) { return s.keyring() }
