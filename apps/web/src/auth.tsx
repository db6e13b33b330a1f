/** Who is logged in, and the guards that send everyone else to the login page. */
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { getSession, onSessionChange, post, setSession, type Session } from './api';

interface Auth {
  session: Session | null;
  login: (username: string, password: string) => Promise<Session>;
  logout: () => Promise<void>;
  /** True when the person holds any of these roles. */
  hasRole: (...roles: string[]) => boolean;
  /** After a successful password change: the flag is cleared (the API ended the other sessions, not this one). */
  passwordChanged: () => void;
}

const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [session, setState] = useState<Session | null>(getSession);
  useEffect(() => onSessionChange(setState), []);
  const value = useMemo<Auth>(
    () => ({
      session,
      login: async (username, password) => {
        const s = await post<Session>('/auth/login', { username, password });
        setSession(s);
        return s;
      },
      logout: async () => {
        try {
          await post('/auth/logout');
        } catch {
          /* the session may already have ended: logging out locally is what matters */
        }
        setSession(null);
      },
      hasRole: (...roles) => !!session && session.person.roles.some((r) => roles.includes(r)),
      passwordChanged: () => {
        const s = getSession();
        if (s) setSession({ ...s, mustChangePassword: false });
      },
    }),
    [session],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const a = useContext(AuthContext);
  if (!a) throw new Error('useAuth outside AuthProvider');
  return a;
}

/** Pages behind the login: no session → /login (coming back afterwards); a forced password change first. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { session } = useAuth();
  const loc = useLocation();
  if (!session) return <Navigate to={`/login?next=${encodeURIComponent(loc.pathname + loc.search)}`} replace />;
  if (session.mustChangePassword && loc.pathname !== '/change-password') return <Navigate to="/change-password" replace />;
  return <>{children}</>;
}
