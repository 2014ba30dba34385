package api

// digestRoutes are the routes of the quarterly digests.
func (s *Server) digestRoutes() []route {
	return nil
}
