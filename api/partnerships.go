package api

// partnershipRoutes are the routes of partnerships and their two lanes.
func (s *Server) partnershipRoutes() []route {
	return nil
}
